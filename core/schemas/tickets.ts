import * as z from 'zod/mini';
import { date, lazy, pageQuery, text, timestamp, ulid } from './common';

/** Ticket schemas (docs/rules.md#tickets), as `lazy` factories: see core/schemas/common.ts. */

export const TICKET_STATUSES = [
  'waiting',
  'called',
  'serving',
  'done',
  'no_show',
  'cancelled',
  'expired',
] as const;

export const Customer = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    name: z.optional(text(120)),
    phone: z.optional(text(40)),
    email: z.optional(z.email().check(z.maxLength(254))),
    reference: z.optional(text(120)),
  }),
);

export const EnqueueBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    queueId: z.optional(ulid('Queue to join; omit for automatic routing by priorityId')),
    priorityId: z.optional(ulid('Individual priority, or the priority to route by when queueId is omitted')),
    customer: z.optional(z.nullable(Customer())),
    note: z.optional(z.nullable(text(500, 0))),
  }),
);

export const TransferBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    queueId: ulid('Target queue'),
    placement: z.optional(z.enum(['keep', 'back'])),
  }),
);

export const ReassignBody = /* @__PURE__ */ lazy(() => {
  const ticketIds = z.array(ulid('Ticket id')).check(z.minLength(1), z.maxLength(100));
  return z.union([
    z.strictObject({ fromQueueId: ulid(), toQueueId: ulid(), ticketIds }),
    z.strictObject({
      fromQueueId: ulid(),
      toQueueId: ulid(),
      count: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
    }),
    z.strictObject({
      mode: z.literal('balance'),
      queueIds: z.array(ulid('Queue id')).check(z.minLength(2), z.maxLength(50)),
    }),
  ]);
});

/** `YYYY-MM-DD` that names a real calendar day (`2026-02-30` → 400, as in reports). */
const calendarDay = () =>
  z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, { abort: true }),
    z.refine((value) => {
      const t = new Date(`${value}T00:00:00.000Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(value);
    }, 'Not a calendar date'),
    z.meta({ format: 'date', example: '2026-11-21' }),
  );

export const ListTicketsQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    status: z.optional(z.enum(TICKET_STATUSES)),
    queueId: z.optional(ulid()),
    businessDay: z.optional(calendarDay()),
    ...pageQuery(),
  }),
);

export const BranchTicketParams = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    branchId: ulid('Branch id'),
    ticketId: ulid('Ticket id'),
  }),
);
export const CounterParams = /* @__PURE__ */ lazy(() =>
  z.strictObject({ branchId: ulid('Branch id'), counterId: ulid('Counter id') }),
);
export const PublicTokenParams = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    publicToken: z
      .string()
      .check(z.regex(/^[A-Za-z0-9_-]{64}$/), z.meta({ description: 'Public token of a ticket' })),
  }),
);

export const Ticket = /* @__PURE__ */ lazy(() => {
  const nullableTime = z.nullable(timestamp());
  return z
    .object({
      id: ulid(),
      branchId: ulid(),
      queueId: ulid(),
      priorityId: ulid(),
      number: z.int(),
      code: z.string().check(z.meta({ example: 'A-007' })),
      businessDay: date(),
      status: z.enum(TICKET_STATUSES),
      customer: z.nullable(Customer()),
      note: z.nullable(z.string()),
      createdAt: timestamp(),
      queuedAt: timestamp(),
      calledAt: nullableTime,
      startedAt: nullableTime,
      endedAt: nullableTime,
      counterId: z.nullable(ulid()),
      servedBy: z.nullable(ulid()),
      recalls: z.int(),
      transfers: z.array(z.object({ fromQueueId: ulid(), toQueueId: ulid(), at: timestamp(), by: ulid() })),
      publicToken: z.string(),
      updatedAt: timestamp(),
    })
    .check(z.meta({ id: 'Ticket' }));
});

export const TicketWithStanding = /* @__PURE__ */ lazy(() =>
  z
    .object({ ticket: Ticket(), position: z.nullable(z.int()), estimatedWaitSeconds: z.nullable(z.int()) })
    .check(z.meta({ id: 'TicketWithStanding' })),
);

export const TicketResult = /* @__PURE__ */ lazy(() =>
  z.object({ ticket: Ticket() }).check(z.meta({ id: 'TicketResult' })),
);

export const Reassigned = /* @__PURE__ */ lazy(() =>
  z
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
    .check(z.meta({ id: 'Reassigned' })),
);

export const Board = /* @__PURE__ */ lazy(() =>
  z
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
    .check(z.meta({ id: 'Board' })),
);

export const PublicStatus = /* @__PURE__ */ lazy(() =>
  z
    .object({
      code: z.string(),
      status: z.enum(TICKET_STATUSES),
      queueName: z.nullable(z.string()),
      position: z.nullable(z.int()),
      estimatedWaitSeconds: z.nullable(z.int()),
      counterName: z.nullable(z.string()),
      calledAt: z.nullable(timestamp()),
    })
    .check(z.meta({ id: 'PublicTicketStatus' })),
);
