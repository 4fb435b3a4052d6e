import { createHash } from 'node:crypto';
import { businessDayOf } from '../../domain/business-day';
import { sortByCallOrder } from '../../domain/call-order';
import { queueEstimate } from '../../domain/estimates';
import { waitingCount } from '../../domain/setup';
import { branchInScope, type TicketContext } from './context';

const NEXT_CODES = 5;
const RECENT_CALLS = 10;

export interface Board {
  branchId: string;
  businessDay: string;
  queues: Array<{
    id: string;
    name: string;
    prefix: string;
    waiting: number;
    estimatedWaitSeconds: number | null;
    next: string[];
  }>;
  counters: Array<{
    id: string;
    name: string;
    current: { code: string; status: string; calledAt: string } | null;
  }>;
  recentlyCalled: Array<{ code: string; counterName: string; calledAt: string }>;
}

/**
 * The waiting-room board (SPEC §6): one setup read gives queues, counts, counters and their
 * recent calls; the next codes of a queue come from the heads of its non-empty rank
 * partitions (5 each), merged in call-next order.
 */
export async function board(ctx: TicketContext, branchId: string): Promise<{ board: Board; etag: string }> {
  const setup = await branchInScope(ctx, branchId);
  const { branch } = setup;
  const queues = await Promise.all(
    setup.queues.map(async (queue) => {
      const heads = await Promise.all(
        [...queue.live.waitingByRank.keys()].map((rank) =>
          ctx.store.waiting(ctx.actor.tenantId, queue.id, rank, { limit: NEXT_CODES }),
        ),
      );
      return {
        id: queue.id,
        name: queue.name,
        prefix: queue.prefix,
        waiting: waitingCount(queue.live),
        estimatedWaitSeconds: queueEstimate(setup, queue),
        next: sortByCallOrder(heads.flat(), ctx.now, branch.agingMinutes)
          .slice(0, NEXT_CODES)
          .map((t) => t.code),
      };
    }),
  );
  const result: Board = {
    branchId,
    businessDay: businessDayOf(ctx.now, branch.timezone, branch.resetHour),
    queues,
    counters: setup.counters.map((c) => ({
      id: c.id,
      name: c.name,
      current: c.current
        ? { code: c.current.code, status: c.current.status, calledAt: c.current.calledAt }
        : null,
    })),
    recentlyCalled: setup.counters
      .flatMap((c) => c.recent.map((r) => ({ code: r.code, counterName: c.name, calledAt: r.calledAt })))
      .sort((a, b) => b.calledAt.localeCompare(a.calledAt))
      .slice(0, RECENT_CALLS),
  };
  const etag = `"${createHash('sha256').update(JSON.stringify(result)).digest('base64url').slice(0, 27)}"`;
  return { board: result, etag };
}
