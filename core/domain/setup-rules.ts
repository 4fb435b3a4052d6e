import { businessDayEnd, businessDayOf } from './business-day';
import { ConflictError } from './errors';
import { type Counter, type QueueLive, waitingCount } from './setup';

/**
 * Rules of organisation setup (docs/rules.md#organisation-setup) that the request schemas and use
 * cases share. Pure.
 */

export const RANK = { min: 1, max: 99 } as const;
export const DEFAULT_TARGET_WAIT_MINUTES = 15;
/** A service-level target beyond a day says nothing about a queue that restarts every day. */
export const TARGET_WAIT_MINUTES = { min: 1, max: 1440 } as const;

export const DEFAULT_RESET_HOUR = 3;
export const DEFAULT_AGING_MINUTES = 15;
/** 0 disables aging; one step per day or more ages nothing within one business day. */
export const AGING_MINUTES = { min: 0, max: 1440 } as const;

export const DEFAULT_BRANCH_LANGUAGE = 'en';
export const DEFAULT_NOTIFY_AT_POSITION = 3;
export const NOTIFY_AT_POSITION = { min: 1, max: 50 } as const;
export const DEFAULT_CONTACT_RETENTION_HOURS = 24;
/** 0 erases contact data at the first run of the erasing job after the ticket ends; at most a year. */
export const CONTACT_RETENTION_HOURS = { min: 0, max: 8760 } as const;
export const REMOTE_MAX_WAITING = { min: 1, max: 10_000 } as const;
export const DISPLAY_ORDER = { min: 0, max: 9999 } as const;

/** A BCP 47 language tag (`es`, `es-ES`, `pt-BR`), in its canonical spelling; undefined when not one. */
export function canonicalLanguageTag(tag: string): string | undefined {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** Queues in the order customers see them: `displayOrder` first (lower first), the rest by name. */
export function byDisplayOrder<T extends { displayOrder: number | null; name: string }>(a: T, b: T): number {
  const ao = a.displayOrder ?? Number.POSITIVE_INFINITY;
  const bo = b.displayOrder ?? Number.POSITIVE_INFINITY;
  return ao === bo ? a.name.localeCompare(b.name) : ao - bo;
}

export const QUEUE_PREFIX = /^[A-Z]{1,3}$/;
export const COLOR = /^#[0-9A-Fa-f]{6}$/;

/**
 * Bound on a counter's own queues: enough for any desk, and small enough that a counter change
 * (the counter plus every queue it adds or drops) fits one DynamoDB transaction of 100 items.
 */
export const MAX_COUNTER_QUEUES = 32;

export const hasDuplicates = (values: readonly string[]) => new Set(values).size !== values.length;

/** When a branch's current business day ends: the instant its nightly close becomes due. */
export function currentDayEnd(now: Date, timeZone: string, resetHour: number): Date {
  return businessDayEnd(businessDayOf(now, timeZone, resetHour), timeZone, resetHour);
}

/**
 * The next due close after a branch's timezone or resetHour changed: the end of the current day
 * under the new settings, unless the close already scheduled comes sooner. A due close is never
 * postponed (the day before would stay open); closing early is harmless, because a close finds
 * nothing to do when the day before the current one is already closed.
 */
export function rescheduledDue(scheduled: Date | null, now: Date, timeZone: string, resetHour: number): Date {
  const next = currentDayEnd(now, timeZone, resetHour);
  return scheduled && scheduled < next ? scheduled : next;
}

/** Queues cannot be deleted while tickets wait in them. */
export function assertNoneWaiting(queues: ReadonlyArray<{ live: QueueLive }>): void {
  const waiting = queues.reduce((sum, q) => sum + waitingCount(q.live), 0);
  if (waiting > 0) {
    throw new ConflictError(
      'tickets-waiting',
      `${waiting} ticket(s) are waiting; reassign them or close the day first`,
    );
  }
}

/** Counters cannot be deleted while they have a called or serving ticket. */
export function assertNoneBusy(counters: readonly Counter[]): void {
  const busy = counters.filter((c) => c.current);
  if (busy.length > 0) {
    throw new ConflictError(
      'counter-busy',
      `Finish the current ticket first at: ${busy.map((c) => c.name).join(', ')}`,
    );
  }
}
