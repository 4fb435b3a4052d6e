import { sendCloseMessages } from '#core/adapters/queue/close-queue';
import { nightlyResetJob } from '#core/contract/jobs';
import type { BranchClosed } from '#core/usecases/day-close/nightly-reset';
import { dayCloseContext } from './commons/context';
import { closeHere, closeQueueUrl } from './commons/day-close';
import { logger } from './commons/logger';
import { runAs } from './commons/running';

/**
 * The nightly reset, invoked hourly by EventBridge Scheduler (infra/cron.ts) and locally by
 * `npm run job -- nightly-reset [--at <ISO>]` (local/job.ts).
 *
 * The instant a run is for comes from, in order: `at` (the local job runner's clock),
 * `scheduledTime` (the `<aws.scheduler.scheduled-time>` context attribute infra/cron.ts puts in
 * the payload — the same on every retry of one run), `time` (a classic EventBridge "Scheduled
 * Event"), else the current time.
 *
 * Each run finds, across tenants, every branch whose close is due at that instant (the `due`
 * index) and has each closed by the per-branch close (core/usecases/day-close/nightly-reset.ts
 * `closeBranch`): in AWS one message per branch on the day-close queue, whose subscriber
 * (functions/close-branch.ts) closes branches in parallel; locally in this process, a few at a
 * time. Either way branches are isolated: one whose close fails is logged and counted, the
 * others still close, and its due entry stays, so the next hourly run tries it again.
 */
export interface NightlyResetEvent {
  at?: string;
  scheduledTime?: string;
  time?: string;
}

export interface NightlyResetResult {
  at: string;
  /** Branches due at `at`. */
  due: number;
  /** Of those, handed to the day-close queue (AWS); the rest were closed in this process. */
  queued: number;
  /** Branches whose nightly close this run recorded (in process). */
  closed: number;
  expired: number;
  /** Branches whose close failed (in process): logged, counted, retried next hour. */
  failed: number;
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

export const handler = runAs(nightlyResetJob, resetDueBranches);

async function resetDueBranches(event?: NightlyResetEvent | null): Promise<NightlyResetResult> {
  const at = runInstant(event);
  const due = await dayCloseContext({ now: at }).dayClose.dueBranches(at);
  const queueUrl = closeQueueUrl();
  let result: NightlyResetResult;
  if (queueUrl) {
    const messages = due.map(({ tenantId, branchId }) => ({ tenantId, branchId, at: at.toISOString() }));
    await sendCloseMessages(queueUrl, messages);
    result = {
      at: at.toISOString(),
      due: due.length,
      queued: due.length,
      closed: 0,
      expired: 0,
      failed: 0,
      branches: [],
    };
  } else {
    const { closed, failed } = await closeHere(due, at);
    result = {
      at: at.toISOString(),
      due: due.length,
      queued: 0,
      closed: closed.length,
      expired: closed.reduce((sum, b) => sum + b.expired, 0),
      failed: failed.length,
      branches: closed,
    };
  }
  const { branches: _, ...summary } = result;
  logger.info('nightly-reset', summary);
  return result;
}
