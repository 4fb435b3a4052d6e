import { assertBranchScope } from '../../domain/actor';
import { sortByCallOrder } from '../../domain/call-order';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../../domain/errors';
import type { BranchSetup, Counter } from '../../domain/setup';
import { publicView, type Ticket, type TicketRecord } from '../../domain/ticket';
import { callChange } from '../../domain/ticket-changes';
import { WriteConflict } from '../../ports/tickets';
import { backoff, type TicketContext } from './context';

const MAX_ATTEMPTS = 40;
const MAX_SPREAD = 12;

interface Partition {
  queueId: string;
  rank: number;
}

/**
 * Where a counter may call from (SPEC §6): the non-empty rank partitions of its own open or
 * paused queues; only when those are all empty and it may steal, those of every other
 * non-closed queue of the branch. Empty partitions are never read.
 */
export function candidatePartitions(setup: BranchSetup, counter: Counter): Partition[] {
  const partitionsOf = (queues: BranchSetup['queues']) =>
    queues.flatMap((q) =>
      [...q.live.waitingByRank].filter(([, n]) => n > 0).map(([rank]) => ({ queueId: q.id, rank })),
    );
  const own = partitionsOf(
    setup.queues.filter((q) => counter.queueIds.includes(q.id) && q.status !== 'closed'),
  );
  if (own.length > 0 || !counter.allowStealing) return own;
  return partitionsOf(setup.queues.filter((q) => !counter.queueIds.includes(q.id) && q.status !== 'closed'));
}

/**
 * Call-next, exactly once: read the heads of the candidate partitions, take the best by
 * effective rank, queuedAt, id, and claim it in one transaction conditioned on the ticket
 * (still the same revision, so still waiting where we saw it) and on the counter (free, same
 * revision). Losing a race means another counter won: read again, skipping tickets already
 * lost. Returns null when nothing can be called (204).
 */
export async function callNext(
  ctx: TicketContext,
  branchId: string,
  counterId: string,
): Promise<Ticket | null> {
  const { tenantId } = ctx.actor;
  const lost = new Set<string>();
  let emptyReads = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // SPEC §3 order: 404 (branch or counter, also another tenant's) before 403 (branch scope).
    const setup = await ctx.loadSetup(tenantId, branchId);
    const counter = setup.counters.find((c) => c.id === counterId);
    if (!counter) throw new NotFoundError('Counter');
    assertBranchScope(ctx.actor, branchId);
    if (counter.current)
      throw new ConflictError(
        'counter-busy',
        `The counter still has ${counter.current.code} (${counter.current.status})`,
      );
    const partitions = candidatePartitions(setup, counter);
    if (partitions.length === 0) return null;
    // After a lost race, other counters are after the same head: read a few more and take one
    // of the first few at random — more with every race lost, as that says how many compete —
    // so competing calls fan out instead of colliding again (all of them are among the next to
    // be called anyway). An uncontended call takes the best.
    const spread = Math.min(1 + 2 * lost.size, MAX_SPREAD);
    const heads = (
      await Promise.all(
        partitions.map((p) => ctx.store.waiting(tenantId, p.queueId, p.rank, { limit: lost.size + spread })),
      )
    )
      .flat()
      .filter((t) => !lost.has(t.id));
    const ordered = sortByCallOrder(heads, ctx.now, setup.branch.agingMinutes).slice(0, spread);
    const best: TicketRecord | undefined = ordered[Math.floor(Math.random() * ordered.length)];
    if (!best) {
      // The counts say someone waits but the index shows nobody new yet (it is eventually
      // consistent): look again shortly; give up with 204 once it stays empty.
      if (++emptyReads >= 3) return null;
      await backoff(attempt);
      continue;
    }
    const change = callChange(best, counter, ctx.actor, ctx.now);
    try {
      await ctx.store.apply(tenantId, change);
      return publicView(change.ticket);
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
      // A ticket that is no longer waiting was taken by someone else; one that still waits
      // was only seen at an older revision (the index lags) and stays a candidate.
      if (error.part === 'ticket' && error.current?.status !== 'waiting') lost.add(best.id);
      await backoff(attempt);
    }
  }
  throw new ServiceUnavailableError('Too much contention on this branch, retry shortly');
}
