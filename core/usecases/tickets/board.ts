import { createHash } from 'node:crypto';
import { businessDayOf } from '#core/domain/business-day';
import { nextReorder, sortByCallOrder } from '#core/domain/call-order';
import { queueEstimate } from '#core/domain/estimates';
import { type BranchSetup, type Counter, waitingCount } from '#core/domain/setup';
import { INDEX_SETTLE_MS } from '#core/ports/tickets';
import { setupInScope } from '#core/usecases/scope';
import type { TicketContext } from './context';

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

/** What screens show of a counter: its current ticket's code, status and call time, or null. */
export const counterCall = ({ current }: Counter): Board['counters'][number]['current'] =>
  current ? { code: current.code, status: current.status, calledAt: current.calledAt } : null;

/** Everything on the board but the queues' `next` codes: what the setup read alone tells. */
function fromSetup(setup: BranchSetup, businessDay: string): Board {
  return {
    branchId: setup.branch.id,
    businessDay,
    queues: setup.queues.map((queue) => ({
      id: queue.id,
      name: queue.name,
      prefix: queue.prefix,
      waiting: waitingCount(queue.live),
      estimatedWaitSeconds: queueEstimate(setup, queue),
      next: [],
    })),
    counters: setup.counters.map((c) => ({ id: c.id, name: c.name, current: counterCall(c) })),
    recentlyCalled: setup.counters
      .flatMap((c) => c.recent.map((r) => ({ code: r.code, counterName: c.name, calledAt: r.calledAt })))
      .sort((a, b) => b.calledAt.localeCompare(a.calledAt))
      .slice(0, RECENT_CALLS),
  };
}

/**
 * The board's ETag: `"<content>.<until>"`. `content` hashes what the setup read shows of the
 * board plus what decides the `next` codes — each queue's change counter (`v`, bumped by every
 * change to its waiting tickets) and the branch's aging. `until` (base-36 ms, or `-`) is when
 * those codes may change with no write: the next aging reorder, or — for a board read before
 * the waiting index settled after a change — that moment. Equal content before `until` means
 * an equal board, so a held tag is checked with the setup read alone; the clock itself is not
 * part of the tag, so an idle board keeps its tag.
 */
const contentHash = (visible: Board, setup: BranchSetup) =>
  createHash('sha256')
    .update(
      JSON.stringify({
        visible,
        agingMinutes: setup.branch.agingMinutes,
        versions: setup.queues.map((q) => q.live.version),
      }),
    )
    .digest('base64url')
    .slice(0, 27);

const tagOf = (content: string, until: number | null) =>
  `"${content}.${until === null ? '-' : until.toString(36)}"`;

/** A tag the client holds is current when its content is and its `until` has not come. */
function isCurrent(tag: string, content: string, now: Date): boolean {
  const match = /^"([\w-]{27})\.(-|[0-9a-z]{1,11})"$/.exec(tag);
  if (!match || match[1] !== content) return false;
  return match[2] === '-' || now.getTime() < Number.parseInt(match[2]!, 36);
}

/** The index may still miss changes of the last INDEX_SETTLE_MS: the instant it has caught up. */
function indexSettledAt(setup: BranchSetup, now: Date): number | null {
  const changes = setup.queues.filter((q) => q.live.changedAt).map((q) => Date.parse(q.live.changedAt!));
  const settled = Math.max(0, ...changes) + INDEX_SETTLE_MS;
  return settled > now.getTime() ? settled : null;
}

/**
 * The waiting-room board (docs/rules.md#board): one setup read gives queues, counts, counters
 * and their recent calls — and decides whether a tag the client holds (`held`, from
 * If-None-Match) is still current: then that tag comes back alone, without a board, at the cost
 * of that one read.
 * Otherwise the next codes of a queue come from the heads of its non-empty rank partitions
 * (5 each), merged in call-next order.
 */
export async function board(
  ctx: TicketContext,
  { branchId, held = [] }: { branchId: string; held?: readonly string[] },
): Promise<{ board?: Board; etag: string }> {
  const setup = await setupInScope(ctx, branchId);
  const { branch } = setup;
  const result = fromSetup(setup, businessDayOf(ctx.now, branch.timezone, branch.resetHour));
  const content = contentHash(result, setup);
  const current = held.find((tag) => isCurrent(tag, content, ctx.now));
  if (current) return { etag: current };

  const until = [indexSettledAt(setup, ctx.now)];
  await Promise.all(
    setup.queues.map(async (queue, i) => {
      const heads = (
        await Promise.all(
          [...queue.live.waitingByRank.keys()].map((rank) =>
            ctx.tickets.waiting(ctx.actor.tenantId, queue.id, rank, { limit: NEXT_CODES }),
          ),
        )
      ).flat();
      result.queues[i]!.next = sortByCallOrder(heads, ctx.now, branch.agingMinutes)
        .slice(0, NEXT_CODES)
        .map((t) => t.code);
      until.push(nextReorder(heads, ctx.now, branch.agingMinutes, NEXT_CODES)?.getTime() ?? null);
    }),
  );
  const times = until.filter((t) => t !== null);
  return { board: result, etag: tagOf(content, times.length > 0 ? Math.min(...times) : null) };
}
