import { aheadBound } from '../../domain/call-order';
import { estimateWaitSeconds, servingCounters } from '../../domain/estimates';
import { avgServiceSeconds, type BranchSetup } from '../../domain/setup';
import type { TicketRecord } from '../../domain/ticket';
import type { TicketStore } from '../../ports/tickets';

export interface Standing {
  position: number | null;
  estimatedWaitSeconds: number | null;
}

/**
 * SPEC §6: position = 1 + the waiting tickets of the same queue that call-next would call
 * first. Per rank partition of the queue those form a prefix (see aheadBound): a whole
 * partition comes from the live counts, a partial one from a COUNT of that prefix only.
 */
export async function standingOf(
  store: TicketStore,
  tenantId: string,
  setup: BranchSetup,
  ticket: TicketRecord,
  now: Date,
  options: { newest?: boolean } = {},
): Promise<Standing> {
  if (ticket.status !== 'waiting') return { position: null, estimatedWaitSeconds: null };
  const queue = setup.queues.find((q) => q.id === ticket.queueId);
  if (!queue) return { position: null, estimatedWaitSeconds: null };
  const counts = await Promise.all(
    [...queue.live.waitingByRank].map(async ([rank, count]) => {
      const bound = aheadBound(rank, ticket, now, setup.branch.agingMinutes);
      if (bound === null) return count - (rank === ticket.rank ? 1 : 0);
      if (bound === '') return 0;
      // A ticket just issued is the newest of its own partition (ids increase within a
      // process, see domain/ids.ts): everyone there is ahead. Two Lambdas issuing into one
      // queue in the same millisecond may be off by one here; call order stays exact.
      if (options.newest && rank === ticket.rank) return count - 1;
      return store.countWaitingBelow(tenantId, queue.id, rank, bound);
    }),
  );
  const position = 1 + counts.reduce((a, b) => a + Math.max(0, b), 0);
  return {
    position,
    estimatedWaitSeconds: estimateWaitSeconds(
      position,
      avgServiceSeconds(queue.live),
      servingCounters(setup, queue.id),
    ),
  };
}
