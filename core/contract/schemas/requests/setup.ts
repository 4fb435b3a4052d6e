import * as z from 'zod/mini';
import { text, ulid } from '#core/contract/schemas/common';
import { isValidTimeZone } from '#core/domain/business-day';
import {
  AGING_MINUTES,
  COLOR,
  CONTACT_RETENTION_HOURS,
  canonicalLanguageTag,
  DISPLAY_ORDER,
  hasDuplicates,
  MAX_COUNTER_QUEUES,
  NOTIFY_AT_POSITION,
  QUEUE_PREFIX,
  RANK,
  REMOTE_MAX_WAITING,
  TARGET_WAIT_MINUTES,
} from '#core/domain/setup-rules';

/**
 * What the organisation setup routes take: each resource's create body (PATCH takes any
 * non-empty subset of it) and the path parameters of one resource.
 */

const int = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
const name = () => text(100);
/** Optional text that `null` clears. */
const clearable = (max: number) => z.optional(z.nullable(text(max)));

export const priorityFields = () =>
  z.strictObject({
    name: name(),
    rank: int(RANK.min, RANK.max).check(z.meta({ description: '1 = most urgent; ranks need not be unique' })),
    targetWaitMinutes: z.optional(
      int(TARGET_WAIT_MINUTES.min, TARGET_WAIT_MINUTES.max).check(
        z.meta({ description: 'Service-level target for the wait, default 15' }),
      ),
    ),
    color: z.optional(
      z.nullable(z.string().check(z.regex(COLOR), z.meta({ description: '`#RRGGBB`', example: '#1E88E5' }))),
    ),
    description: clearable(500),
  });

export const priorityParams = () => z.strictObject({ priorityId: ulid('Priority id') });

const timezone = () =>
  text(64).check(
    z.refine(isValidTimeZone, 'Unknown IANA time zone'),
    z.meta({ description: 'IANA time zone', example: 'Europe/Madrid' }),
  );

export const branchFields = () =>
  z.strictObject({
    name: name(),
    timezone: timezone(),
    resetHour: z.optional(
      int(0, 23).check(z.meta({ description: 'Local hour at which the business day starts, default 3' })),
    ),
    agingMinutes: z.optional(
      int(AGING_MINUTES.min, AGING_MINUTES.max).check(
        z.meta({
          description: 'A waiting ticket gains one rank per this many minutes; 0 disables aging; default 15',
        }),
      ),
    ),
    address: clearable(300),
    language: z.optional(
      text(35).check(
        z.refine((t) => canonicalLanguageTag(t) !== undefined, 'Not a BCP 47 language tag'),
        z.overwrite((t) => canonicalLanguageTag(t) ?? t),
        z.meta({
          description:
            'BCP 47 language of the kiosk, status, board and join pages and customer messages; default en',
          example: 'es',
        }),
      ),
    ),
    printTickets: z.optional(
      z.boolean().check(z.meta({ description: 'The kiosk prints each ticket it issues; default false' })),
    ),
    notifyAtPosition: z.optional(
      int(NOTIFY_AT_POSITION.min, NOTIFY_AT_POSITION.max).check(
        z.meta({
          description:
            'Position at which a ticket that asked to be notified gets its near-turn message; default 3',
        }),
      ),
    ),
    remoteJoin: z.optional(
      z
        .strictObject({
          enabled: z.boolean(),
          maxWaiting: z.optional(
            z.nullable(
              int(REMOTE_MAX_WAITING.min, REMOTE_MAX_WAITING.max).check(
                z.meta({ description: 'At most this many remote tickets waiting at once; null: no cap' }),
              ),
            ),
          ),
        })
        .check(z.meta({ description: 'Customers may take a ticket from the join page; default off' })),
    ),
    contactRetentionHours: z.optional(
      int(CONTACT_RETENTION_HOURS.min, CONTACT_RETENTION_HOURS.max).check(
        z.meta({ description: 'Hours after a ticket ends before its contact data is erased; default 24' }),
      ),
    ),
  });

export const QUEUE_STATUSES = ['open', 'paused', 'closed'] as const;

export const queueFields = () =>
  z.strictObject({
    name: name(),
    prefix: z
      .string()
      .check(
        z.regex(QUEUE_PREFIX),
        z.meta({ description: '1–3 uppercase letters, unique in the branch (ticket codes)', example: 'A' }),
      ),
    priorityId: ulid('Priority of the queue’s tickets'),
    status: z.optional(
      z.enum(QUEUE_STATUSES).check(
        z.meta({
          description: 'open (default) | paused: no new tickets | closed: neither issued nor served',
        }),
      ),
    ),
    description: clearable(500),
    displayOrder: z.optional(
      z.nullable(
        int(DISPLAY_ORDER.min, DISPLAY_ORDER.max).check(
          z.meta({
            description:
              'Place on the kiosk and join page, lower first; null (default): after those, by name',
          }),
        ),
      ),
    ),
  });

export const queueParams = () => z.strictObject({ branchId: ulid('Branch id'), queueId: ulid('Queue id') });

export const counterFields = () =>
  z.strictObject({
    name: name(),
    queueIds: z.array(ulid('Queue id')).check(
      z.minLength(1),
      z.maxLength(MAX_COUNTER_QUEUES),
      z.refine((ids) => !hasDuplicates(ids), 'Queue ids must be unique'),
      z.meta({ description: 'The counter’s own queues: queues of the same branch' }),
    ),
    allowStealing: z.optional(
      z.boolean().check(
        z.meta({
          description: 'Call from other queues of the branch when its own are empty; default true',
        }),
      ),
    ),
  });
