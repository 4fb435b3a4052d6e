import { sortByCallOrder } from '#core/domain/call-order';
import { ConflictError, ServiceUnavailableError } from '#core/domain/errors';
import type { BranchSetup, Counter } from '#core/domain/setup';
import { publicView, type Ticket, type TicketRecord } from '#core/domain/ticket';
import { callChange } from '#core/domain/ticket-changes';
import { INDEX_SETTLE_MS, WriteConflict } from '#core/ports/tickets';
import { inBranchScope } from '#core/usecases/scope';
import { backoff, sleep, type TicketContext } from './context';

const MAX_ATTEMPTS = 40;
const MAX_SPREAD = 12;
/** How long one call waits for the waiting index to show what the counts say waits. */
const INDEX_WAIT_BUDGET_MS = 3_000;
const FIRST_INDEX_PAUSE_MS = 25;
const MAX_INDEX_PAUSE_MS = 400;

interface Partition {
  queueId: string;
  rank: number;
}

/**
 * Where a counter may call from (docs/rules.md#call-next): the non-empty rank partitions of its
 * own open or paused queues; only when those are all empty and it may steal, those of every other
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

/** When the waiting tickets of the partitions' queues last changed (ms; 0 if never recorded). */
function lastChange(setup: BranchSetup, partitions: Partition[]): number {
  const queueIds = new Set(partitions.map((p) => p.queueId));
  return Math.max(
    0,
    ...setup.queues
      .filter((q) => queueIds.has(q.id) && q.live.changedAt)
      .map((q) => Date.parse(q.live.changedAt!)),
  );
}

/** Changes to the candidate queues' waiting tickets so far: claims and arrivals move it. */
function candidatesVersion(setup: BranchSetup, partitions: Partition[]): number {
  const queueIds = new Set(partitions.map((p) => p.queueId));
  return setup.queues.filter((q) => queueIds.has(q.id)).reduce((sum, q) => sum + q.live.version, 0);
}

/**
 * Call-next, exactly once: read the heads of the candidate partitions, take the best by
 * effective rank, queuedAt, id, and claim it in one transaction conditioned on the ticket
 * (still the same revision, so still waiting where we saw it) and on the counter (free, same
 * revision). Losing a race means another counter won: read again, skipping tickets already
 * lost. Returns null when nothing can be called (204). Lost races, calls and first-call waits
 * are reported to `ctx.metrics`.
 *
 * The heads come from the eventually consistent waiting index, the counts from a consistent
 * read: when the counts say a candidate waits but the index shows none yet, it waits for the
 * index (backing off, within INDEX_WAIT_BUDGET_MS) and answers 503 rather than a false 204 if
 * it is still behind. Once INDEX_SETTLE_MS have passed since those queues last changed, an
 * empty index is believed over the counts (they are stale-high), so that is a 204, never a
 * 503 for ever.
 */
export async function callNext(
  ctx: TicketContext,
  { branchId, counterId }: { branchId: string; counterId: string },
): Promise<Ticket | null> {
  const { tenantId } = ctx.actor;
  const lost = new Set<string>();
  const started = performance.now();
  let indexPauses = 0;
  /** The candidates' change counters when the index last showed none of them. */
  let emptyAt: number | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { setup, counter } = await inBranchScope(
      ctx.actor,
      branchId,
      ctx.setups.load(tenantId, branchId).then((setup) => {
        const counter = setup.counters.find((c) => c.id === counterId);
        return counter && { setup, counter };
      }),
      'Counter',
    );
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
        partitions.map((p) =>
          ctx.tickets.waiting(tenantId, p.queueId, p.rank, { limit: lost.size + spread }),
        ),
      )
    )
      .flat()
      .filter((t) => !lost.has(t.id));
    const ordered = sortByCallOrder(heads, ctx.now, setup.branch.agingMinutes).slice(0, spread);
    const best: TicketRecord | undefined = ordered[Math.floor(Math.random() * ordered.length)];
    if (!best) {
      // The counts say someone waits but the index shows nobody.
      const waited = performance.now() - started;
      const settled = lastChange(setup, partitions) + INDEX_SETTLE_MS <= ctx.now.getTime() + waited;
      // Long after the last change the index has caught up: the counts are stale-high, nobody waits.
      if (settled) return null;
      // Other counters may have taken them between the two reads: the first time these counts
      // meet an empty index, read again at once (the fresh counts say whether anyone is left);
      // only counts that stay the same while the index stays empty mean the index lags.
      const version = candidatesVersion(setup, partitions);
      if (version !== emptyAt) {
        emptyAt = version;
        continue;
      }
      const pause = Math.min(FIRST_INDEX_PAUSE_MS * 2 ** indexPauses++, MAX_INDEX_PAUSE_MS);
      if (waited + pause > INDEX_WAIT_BUDGET_MS) {
        throw new ServiceUnavailableError('The ticket index is catching up, retry shortly');
      }
      await sleep(pause);
      continue;
    }
    const change = callChange(best, counter, ctx.actor, ctx.now);
    try {
      await ctx.tickets.apply(tenantId, change);
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
      ctx.metrics?.record('CallNextConflicts');
      // A ticket that is no longer waiting was taken by someone else; one that still waits
      // was only seen at an older revision (the index lags) and stays a candidate.
      if (error.part === 'ticket' && error.current?.status !== 'waiting') lost.add(best.id);
      await backoff(attempt);
      continue;
    }
    ctx.metrics?.record('TicketsCalled');
    // Only the first call of a ticket is its wait (a transferred ticket is called again).
    if (!best.firstCall && change.ticket.firstCall)
      ctx.metrics?.record('FirstCallWaitSeconds', change.ticket.firstCall.waitSeconds);
    return publicView(change.ticket);
  }
  throw new ServiceUnavailableError('Too much contention on this branch, retry shortly');
}
