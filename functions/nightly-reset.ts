import { sendCloseMessages } from '#core/adapters/queue/close-queue';
import { nightlyResetJob } from '#core/contract/jobs';
import type { BranchClosed } from '#core/usecases/day-close/nightly-reset';
import { dayCloseContext } from './commons/context';
import { closeHere, closeQueueUrl } from './commons/day-close';
import { logger } from './commons/logger';
import { type RunEvent, runInstant } from './commons/run-instant';
import { runAs } from './commons/running';

/**
 * The nightly reset, invoked hourly by EventBridge Scheduler (infra/cron.ts) and locally by
 * `npm run job -- nightly-reset [--at <ISO>]` (local/job.ts).
 *
 * The instant a run is for comes from its event (commons/run-instant.ts): the local runner's
 * `at`, the schedule's `scheduledTime` (the same on every retry of one run), else now.
 *
 * Each run finds, across tenants, every branch whose close is due at that instant (the `due`
 * index) and has each closed by the per-branch close (core/usecases/day-close/nightly-reset.ts
 * `closeBranch`): in AWS one message per branch on the day-close queue, whose subscriber
 * (functions/close-branch.ts) closes branches in parallel; locally in this process, a few at a
 * time. Either way branches are isolated: one whose close fails is logged and counted, the
 * others still close, and its due entry stays, so the next hourly run tries it again.
 */
export { parseInstant } from './commons/run-instant';

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

export const handler = runAs(nightlyResetJob, resetDueBranches);

async function resetDueBranches(event?: RunEvent | null): Promise<NightlyResetResult> {
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
