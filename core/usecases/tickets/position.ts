import { estimateWaitSeconds, servingCounters } from '#core/domain/estimates';
import { positionIn } from '#core/domain/positions';
import { avgServiceSeconds, type BranchSetup } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';

export interface Standing {
  position: number | null;
  estimatedWaitSeconds: number | null;
}

/**
 * Position and estimated wait of a waiting ticket, from the branch read alone: its queue's
 * numbering and live shards hold what positions are computed from (domain/positions.ts), so
 * the cost is the same at position 2 and at 10,000.
 */
export function standingOf(setup: BranchSetup, ticket: TicketRecord, now: Date): Standing {
  if (ticket.status !== 'waiting' || !ticket.place) return { position: null, estimatedWaitSeconds: null };
  const queue = setup.queues.find((q) => q.id === ticket.queueId);
  if (!queue) return { position: null, estimatedWaitSeconds: null };
  const position = positionIn(queue, ticket, now, setup.branch.agingMinutes);
  return {
    position,
    estimatedWaitSeconds: estimateWaitSeconds(
      position,
      avgServiceSeconds(queue.live),
      servingCounters(setup, queue.id),
    ),
  };
}
