import { type CloseMessage, sendCloseMessages } from '#core/adapters/queue/close-queue';
import { closeBranchJob } from '#core/contract/jobs';
import type { BranchRef } from '#core/ports/day-close';
import type { MetricsRecorder } from '#core/ports/metrics';
import { type BranchesClosed, closeBranches } from '#core/usecases/day-close/nightly-reset';
import { dayCloseContext } from './context';
import { logger } from './logger';
import { requestMetrics } from './metrics';
import { runAs } from './running';

/** The queue of per-branch closes (functions/close-branch.ts), in AWS; unset locally. */
export const closeQueueUrl = () => process.env.CLOSE_QUEUE_URL || undefined;

/**
 * One structured line per branch whose close failed (it is retried later), and one
 * `DayCloseFailed` in the run's metrics (./metrics.ts).
 */
export function logCloseFailure(
  ref: BranchRef & { at?: string },
  error: unknown,
  metrics: MetricsRecorder,
): void {
  logger.error('day close failed', {
    tenantId: ref.tenantId,
    branchId: ref.branchId,
    at: ref.at,
    error: error instanceof Error ? error : new Error(String(error)),
  });
  metrics.record('DayCloseFailed');
}

/** A run's finished closes: the nightly closes it recorded and the manual closes it finished. */
export function countClosesDone(metrics: MetricsRecorder, done: number): void {
  if (done > 0) metrics.record('DayCloseDone', done);
}

/** In-process runs: a few branches at a time, each in rounds of half a minute until done. */
const LOCAL = { concurrency: 8, budgetMs: 30_000 };

/**
 * Closes branches in this process (the local runtime's stand-in for the queue), as the queue's
 * subscriber would; failures are logged, not thrown. The run publishes its metrics once, when it ends.
 */
export const closeHere = runAs(closeBranchJob, closeBranchesHere);

async function closeBranchesHere(refs: readonly BranchRef[], now: Date): Promise<BranchesClosed> {
  const metrics = requestMetrics();
  try {
    const result = await closeBranches(dayCloseContext({ now }), { ...LOCAL, branches: refs });
    for (const failure of result.failed)
      logCloseFailure({ ...failure, at: now.toISOString() }, failure.error, metrics);
    countClosesDone(metrics, result.closed.length + result.manual);
    return result;
  } finally {
    metrics.publish();
  }
}

/**
 * Lets a branch's close go on after this invocation: a queue message in AWS; locally the same
 * per-branch close in the background of this process.
 */
export async function continueClose(message: CloseMessage): Promise<void> {
  const url = closeQueueUrl();
  if (url) return sendCloseMessages(url, [message]);
  const at = message.at ? new Date(message.at) : new Date();
  void closeHere([message], at).catch((error) => {
    const metrics = requestMetrics();
    logCloseFailure(message, error, metrics);
    metrics.publish();
  });
}
