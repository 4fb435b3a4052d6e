import * as z from 'zod/mini';
import { date, listOf, timestamp, ulid } from '#core/contract/schemas/common';
import { customer, TICKET_STATUSES } from '#core/contract/schemas/requests/tickets';
import { TICKET_SOURCES } from '#core/domain/ticket';
import { Branding } from './tenant';

const ticketSource = () =>
  z.enum(TICKET_SOURCES).check(
    z.meta({
      description:
        'Where it was issued: `kiosk` (a kiosk-role session), `staff` (any other signed-in user) or `remote` (the public join page)',
    }),
  );

/** What ticket routes answer. */

export const Ticket = z
  .object({
    id: ulid(),
    branchId: ulid(),
    queueId: ulid(),
    priorityId: ulid(),
    number: z.int(),
    code: z.string().check(z.meta({ example: 'A-007' })),
    businessDay: date(),
    status: z.enum(TICKET_STATUSES),
    customer: z.nullable(customer()),
    note: z.nullable(z.string()),
    createdAt: timestamp(),
    queuedAt: timestamp(),
    calledAt: z.nullable(timestamp()),
    startedAt: z.nullable(timestamp()),
    endedAt: z.nullable(timestamp()),
    counterId: z.nullable(ulid()),
    servedBy: z.nullable(ulid()),
    recalls: z.int(),
    transfers: z.array(z.object({ fromQueueId: ulid(), toQueueId: ulid(), at: timestamp(), by: ulid() })),
    publicToken: z.string(),
    source: ticketSource(),
    feedback: z.nullable(
      z.object({
        rating: z.int(),
        comment: z.nullable(z.string()),
        givenAt: timestamp(),
      }),
    ),
    updatedAt: timestamp(),
  })
  .check(z.meta({ id: 'Ticket' }));
export type Ticket = z.output<typeof Ticket>;
export type TicketStatus = Ticket['status'];

export const TicketPage = listOf(Ticket);

export const TicketWithStanding = z
  .object({ ticket: Ticket, position: z.nullable(z.int()), estimatedWaitSeconds: z.nullable(z.int()) })
  .check(z.meta({ id: 'TicketWithStanding' }));
export type TicketWithStanding = z.output<typeof TicketWithStanding>;

export const TicketResult = z.object({ ticket: Ticket }).check(z.meta({ id: 'TicketResult' }));

export const Reassigned = z
  .object({
    moved: z.array(ulid()),
    count: z.int(),
    remaining: z.int().check(
      z.meta({
        description:
          'Tickets still to move: one request moves at most 100. Send it again to go on (with `count` set to this number, for a count).',
      }),
    ),
  })
  .check(z.meta({ id: 'Reassigned' }));
export type Reassigned = z.output<typeof Reassigned>;

export const Board = z
  .object({
    branchId: ulid(),
    businessDay: date(),
    queues: z.array(
      z.object({
        id: ulid(),
        name: z.string(),
        prefix: z.string(),
        waiting: z.int(),
        estimatedWaitSeconds: z.nullable(z.int()),
        next: z.array(z.string()),
      }),
    ),
    counters: z.array(
      z.object({
        id: ulid(),
        name: z.string(),
        current: z.nullable(
          z.object({ code: z.string(), status: z.enum(['called', 'serving']), calledAt: timestamp() }),
        ),
      }),
    ),
    recentlyCalled: z.array(z.object({ code: z.string(), counterName: z.string(), calledAt: timestamp() })),
  })
  .check(z.meta({ id: 'Board' }));
export type Board = z.output<typeof Board>;

export const PublicStatus = z
  .object({
    code: z.string(),
    status: z.enum(TICKET_STATUSES),
    queueName: z.nullable(z.string()),
    position: z.nullable(z.int()),
    estimatedWaitSeconds: z.nullable(z.int()),
    counterName: z.nullable(z.string()),
    calledAt: z.nullable(timestamp()),
    /** The branch's name, language (BCP 47) and time zone: the page speaks and tells time as the branch does. */
    branchName: z.string(),
    language: z.string(),
    timezone: z.string(),
    /** The organisation's name, accent colour and logo, as its customer screens show them. */
    branding: Branding,
    feedback: z.enum(['open', 'given', 'closed']).check(
      z.meta({
        description:
          'Whether the customer can rate the service now: `open` (done, within 24 h of its end, not rated yet), `given` (rated), `closed` (not done, or too late)',
      }),
    ),
  })
  .check(z.meta({ id: 'PublicTicketStatus' }));
export type PublicStatus = z.output<typeof PublicStatus>;

export const PublicBranch = z
  .object({
    name: z.string(),
    timezone: z.string(),
    language: z.string(),
    queues: z.array(
      z.object({
        id: ulid(),
        name: z.string(),
        description: z.nullable(z.string()),
        waiting: z.int(),
        estimatedWaitSeconds: z.nullable(z.int()),
      }),
    ),
    /** The organisation's name, accent colour and logo, as its customer screens show them. */
    branding: Branding,
  })
  .check(z.meta({ id: 'PublicBranch', description: 'A branch’s open queues, in display order' }));
export type PublicBranch = z.output<typeof PublicBranch>;

export const RemoteJoined = z
  .object({
    ticket: z.object({
      code: z.string(),
      status: z.enum(TICKET_STATUSES),
      queueName: z.string(),
      publicToken: z.string(),
      source: ticketSource(),
      createdAt: timestamp(),
      customer: z.nullable(customer()),
    }),
    position: z.int(),
    estimatedWaitSeconds: z.nullable(z.int()),
  })
  .check(z.meta({ id: 'RemoteJoined' }));
export type RemoteJoined = z.output<typeof RemoteJoined>;
export const PushKey = z
  .object({
    publicKey: z.string().check(
      z.meta({
        description:
          'The VAPID public key (RFC 8292), base64url: the applicationServerKey of PushManager.subscribe()',
      }),
    ),
  })
  .check(z.meta({ id: 'PushKey' }));
export type PushKey = z.output<typeof PushKey>;

export const PushSubscriptionCreated = z
  .object({ endpoint: z.string(), createdAt: timestamp() })
  .check(z.meta({ id: 'PushSubscriptionCreated' }));
export type PushSubscriptionCreated = z.output<typeof PushSubscriptionCreated>;
