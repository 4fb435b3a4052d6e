import { type CloseMessage, sendCloseMessages } from '#core/adapters/queue/close-queue';
import type { BranchRef } from '#core/ports/day-close';
import { type BranchesClosed, closeBranches } from '#core/usecases/day-close/nightly-reset';
import { dayCloseContext } from './context';
import { logger } from './logger';

/** The queue of per-branch closes (functions/close-branch.ts), in AWS; unset locally. */
export const closeQueueUrl = () => process.env.CLOSE_QUEUE_URL || undefined;

/**
 * One structured line per branch whose close failed (it is retried later). The line is also the
 * metric: its `_aws` member makes it an Embedded Metric Format document, from which CloudWatch
 * counts `DayCloseFailed` (namespace Queueline, dimension `service`) — one per failure, at the
 * error level that is always logged, with no metrics client.
 */
export function logCloseFailure(ref: BranchRef & { at?: string }, error: unknown): void {
  logger.error('day close failed', {
    tenantId: ref.tenantId,
    branchId: ref.branchId,
    at: ref.at,
    error: error instanceof Error ? error : new Error(String(error)),
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: 'Queueline',
          Dimensions: [['service']],
          Metrics: [{ Name: 'DayCloseFailed', Unit: 'Count' }],
        },
      ],
    },
    DayCloseFailed: 1,
  });
}

/** In-process runs: a few branches at a time, each in rounds of half a minute until done. */
const LOCAL = { concurrency: 8, budgetMs: 30_000 };

/** Closes branches in this process (the local runtime's stand-in for the queue); failures are logged, not thrown. */
export async function closeHere(refs: readonly BranchRef[], now: Date): Promise<BranchesClosed> {
  const result = await closeBranches(dayCloseContext({ now }), { ...LOCAL, branches: refs });
  for (const failure of result.failed) logCloseFailure({ ...failure, at: now.toISOString() }, failure.error);
  return result;
}

/**
 * Lets a branch's close go on after this invocation: a queue message in AWS; locally the same
 * per-branch close in the background of this process.
 */
export async function continueClose(message: CloseMessage): Promise<void> {
  const url = closeQueueUrl();
  if (url) return sendCloseMessages(url, [message]);
  const at = message.at ? new Date(message.at) : new Date();
  void closeHere([message], at).catch((error) => logCloseFailure(message, error));
}
