import { createHash } from 'node:crypto';
import { businessDayOf } from '../../domain/business-day';
import { sortByCallOrder } from '../../domain/call-order';
import { queueEstimate } from '../../domain/estimates';
import { type BranchSetup, waitingCount } from '../../domain/setup';
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
 * The board's version, from the setup read alone: queue names, statuses, live counts and their
 * change counters (`v`, bumped by every change to a queue's waiting tickets), counters with
 * their current and recent calls, and the minute — aging can reorder `next` as time passes.
 * Equal versions mean equal boards, so a matching If-None-Match is answered without reading
 * the heads.
 */
function boardVersion(setup: BranchSetup, now: Date): string {
  const state = {
    minute: Math.floor(now.getTime() / 60_000),
    branch: setup.branch,
    queues: setup.queues.map((q) => ({
      ...q,
      live: { ...q.live, waitingByRank: [...q.live.waitingByRank] },
    })),
    counters: setup.counters.map((c) => ({
      id: c.id,
      name: c.name,
      queueIds: c.queueIds,
      current: c.current,
      recent: c.recent,
    })),
  };
  return `"${createHash('sha256').update(JSON.stringify(state)).digest('base64url').slice(0, 27)}"`;
}

/**
 * The waiting-room board (SPEC §6): one setup read gives queues, counts, counters and their
 * recent calls — and the ETag, so an unchanged board costs that one read (`notModified`).
 * Otherwise the next codes of a queue come from the heads of its non-empty rank partitions
 * (5 each), merged in call-next order.
 */
export async function board(
  ctx: TicketContext,
  branchId: string,
  unlessMatches: (etag: string) => boolean = () => false,
): Promise<{ board?: Board; etag: string }> {
  const setup = await branchInScope(ctx, branchId);
  const etag = boardVersion(setup, ctx.now);
  if (unlessMatches(etag)) return { etag };
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
  return { board: result, etag };
}
