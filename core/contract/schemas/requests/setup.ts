import * as z from 'zod/mini';
import { text, ulid } from '#core/contract/schemas/common';
import { isValidTimeZone } from '#core/domain/business-day';
import {
  AGING_MINUTES,
  COLOR,
  hasDuplicates,
  MAX_COUNTER_QUEUES,
  QUEUE_PREFIX,
  RANK,
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
