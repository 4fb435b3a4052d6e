import { avgServiceSeconds, type BranchSetup, type QueueLive, waitingCount } from './setup';

/**
 * docs/rules.md#enqueue: round((position − 1) × avgServiceSeconds ÷ counters that have the queue
 * among their own); null when no counter serves the queue.
 */
export function estimateWaitSeconds(
  position: number,
  avgSeconds: number,
  servingCounters: number,
): number | null {
  if (servingCounters <= 0) return null;
  return Math.round(((position - 1) * avgSeconds) / servingCounters);
}

export function servingCounters(setup: BranchSetup, queueId: string): number {
  return setup.counters.filter((c) => c.queueIds.includes(queueId)).length;
}

/**
 * A queue's own estimate (queue objects, the board, automatic routing): the wait of a ticket
 * issued now with everyone currently waiting ahead of it.
 */
export function queueEstimate(setup: BranchSetup, queue: { id: string; live: QueueLive }): number | null {
  return estimateWaitSeconds(
    waitingCount(queue.live) + 1,
    avgServiceSeconds(queue.live),
    servingCounters(setup, queue.id),
  );
}
