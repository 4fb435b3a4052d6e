import { loadBranchSetup } from '../core/adapters/dynamo/branch-setup';
import { dynamoDayCloseStore } from '../core/adapters/dynamo/day-close-store';
import { dynamoTicketStore } from '../core/adapters/dynamo/ticket-store';
import { type BranchClosed, nightlyReset } from '../core/usecases/day-close/nightly-reset';
import { logger } from './commons/logger';

/**
 * The nightly reset, invoked hourly by EventBridge Scheduler (infra/cron.ts) and locally by
 * `npm run job -- nightly-reset [--at <ISO>]` (local/job.ts).
 *
 * The instant a run is for comes from, in order: `at` (the local job runner's clock),
 * `scheduledTime` (the `<aws.scheduler.scheduled-time>` context attribute infra/cron.ts puts in
 * the payload — the same on every retry of one run), `time` (a classic EventBridge "Scheduled
 * Event"), else the current time.
 *
 * Each run closes, across tenants, every branch whose business day has ended by that instant
 * (core/usecases/day-close/nightly-reset.ts): found through the `due` index, idempotent, and
 * resumable after a timeout part-way.
 */
export interface NightlyResetEvent {
  at?: string;
  scheduledTime?: string;
  time?: string;
}

export interface NightlyResetResult {
  at: string;
  /** Branches closed by this run. */
  closed: number;
  expired: number;
  branches: BranchClosed[];
}

/** Date-time with seconds optional, fraction optional, and a mandatory zone (`Z` or `±hh:mm`). */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * Parses an ISO 8601 instant. A zone is required: a bare local time would mean a different
 * instant on every machine. Impossible dates (Feb 30, 24:00) are refused rather than rolled over.
 */
export function parseInstant(value: string): Date {
  const m = ISO_INSTANT.exec(value);
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = (m ?? [])
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const date = new Date(value);
  const valid =
    m !== null &&
    !Number.isNaN(date.getTime()) &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= new Date(Date.UTC(year!, month!, 0)).getUTCDate() &&
    hour! <= 23 &&
    minute! <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid) {
    throw new RangeError(
      `Invalid instant "${value}": expected an ISO 8601 date-time with a zone, e.g. 2025-03-10T02:05:00Z`,
    );
  }
  return date;
}

export function runInstant(event: NightlyResetEvent | null | undefined, now = new Date()): Date {
  const given = event?.at ?? event?.scheduledTime ?? event?.time;
  return given === undefined ? now : parseInstant(given);
}

export async function handler(event?: NightlyResetEvent | null): Promise<NightlyResetResult> {
  const at = runInstant(event);
  const branches = await nightlyReset({
    at,
    store: dynamoTicketStore,
    dayClose: dynamoDayCloseStore,
    loadSetup: loadBranchSetup,
  });
  const result = {
    at: at.toISOString(),
    closed: branches.length,
    expired: branches.reduce((sum, b) => sum + b.expired, 0),
    branches,
  };
  logger.info('nightly-reset', { at: result.at, closed: result.closed, expired: result.expired });
  return result;
}
