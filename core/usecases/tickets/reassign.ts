import { balanceMoves } from '#core/domain/balance';
import { sortByCallOrder } from '#core/domain/call-order';
import { ConflictError, unknownReference, ValidationError } from '#core/domain/errors';
import { type BranchSetup, waitingCount } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import { transferChange } from '#core/domain/ticket-changes';
import { WriteConflict } from '#core/ports/tickets';
import { setupInScope } from '#core/usecases/scope';
import type { TicketContext } from './context';
import { placeOnMove, transferTarget } from './ticket-actions';

export type ReassignInput = { branchId: string } & (
  | { fromQueueId: string; toQueueId: string; count?: number; ticketIds?: undefined; mode?: undefined }
  | { fromQueueId: string; toQueueId: string; ticketIds: string[]; count?: undefined; mode?: undefined }
  | { mode: 'balance'; queueIds: string[] }
);

export interface Reassigned {
  moved: string[];
  count: number;
  /** Tickets the request would still have moved had it not stopped at MAX_MOVES: send it again. */
  remaining: number;
}

/**
 * The most tickets one request moves (one transaction each): as many as `ticketIds` may name,
 * a few seconds at worst, well inside a request's deadline. A bigger count, or a balance
 * that needs more, reports the rest as `remaining`.
 */
export const MAX_MOVES = 100;
const PARALLEL_MOVES = 4;

interface Move {
  ticket: TicketRecord;
  from: string;
  to: string;
}

/**
 * Moves one waiting ticket atomically (the transfer rule: keep number, code, createdAt and
 * queuedAt). A ticket that stopped waiting or left the source queue meanwhile is skipped.
 */
async function move(ctx: TicketContext, setup: BranchSetup, { ticket, from, to }: Move): Promise<boolean> {
  if (ticket.status !== 'waiting' || ticket.queueId !== from) return false;
  const queue = transferTarget(setup, to);
  const place = await placeOnMove(ctx, ticket, queue, 'keep');
  const change = transferChange(ticket, { queue, placement: 'keep', place }, ctx.actor, ctx.now);
  try {
    await ctx.tickets.apply(ctx.actor.tenantId, change);
    return true;
  } catch (error) {
    if (!(error instanceof WriteConflict)) throw error;
    if (error.part === 'queue') throw new ConflictError('queue-closed', 'The target queue is closed');
    // It changed since we read it: re-read once and move it only if it still waits there.
    const fresh = await ctx.tickets.get(ctx.actor.tenantId, ticket.id);
    return fresh ? move(ctx, setup, { ticket: fresh, from, to }) : false;
  }
}

/** The ids of the tickets moved, in the order of `moves`. */
async function moveAll(ctx: TicketContext, setup: BranchSetup, moves: Move[]) {
  const moved: string[] = [];
  for (let i = 0; i < moves.length; i += PARALLEL_MOVES) {
    const batch = moves.slice(i, i + PARALLEL_MOVES);
    const results = await Promise.all(batch.map((m) => move(ctx, setup, m)));
    results.forEach((ok, j) => {
      if (ok) moved.push(batch[j]!.ticket.id);
    });
  }
  return moved;
}

/** A queue's rank partitions, `limit` tickets read from each (oldest or newest first). */
async function partitionHeads(
  ctx: TicketContext,
  setup: BranchSetup,
  queueId: string,
  options: { limit: number; newestFirst?: boolean },
) {
  const queue = setup.queues.find((q) => q.id === queueId)!;
  const partitions = await Promise.all(
    [...queue.live.waitingByRank.keys()].map((rank) =>
      ctx.tickets.waiting(ctx.actor.tenantId, queueId, rank, options),
    ),
  );
  return partitions.flat();
}

/**
 * The first `limit` waiting tickets of a queue, best first in call-next order. Within a rank
 * partition call order is index order, so the best `limit` of the queue are among the first
 * `limit` of each partition: that many are read per partition, not the whole queue.
 */
async function waitingInCallOrder(ctx: TicketContext, setup: BranchSetup, queueId: string, limit: number) {
  if (limit <= 0) return [];
  const heads = await partitionHeads(ctx, setup, queueId, { limit });
  return sortByCallOrder(heads, ctx.now, setup.branch.agingMinutes).slice(0, limit);
}

/** The `limit` most recently arrived waiting tickets of a queue, latest first (what balance moves). */
async function latestArrivals(ctx: TicketContext, setup: BranchSetup, queueId: string, limit: number) {
  const lasts = await partitionHeads(ctx, setup, queueId, { limit, newestFirst: true });
  return lasts
    .sort((a, b) =>
      a.queuedAt === b.queuedAt ? b.id.localeCompare(a.id) : b.queuedAt.localeCompare(a.queuedAt),
    )
    .slice(0, limit);
}

/** Reassign: a count, explicit ids, or balance — at most MAX_MOVES tickets a request. */
export async function reassign(ctx: TicketContext, input: ReassignInput): Promise<Reassigned> {
  const { branchId } = input;
  const setup = await setupInScope(ctx, branchId);
  if (input.mode === 'balance') return balance(ctx, setup, input.queueIds);

  const { fromQueueId: from, toQueueId: to } = input;
  const source = setup.queues.find((q) => q.id === from);
  if (!source) throw unknownReference('fromQueueId', 'a queue of this branch');
  // 400 before 409 (order of checks): the same queue twice is invalid whatever the queue's status.
  if (from === to) {
    throw new ValidationError('fromQueueId and toQueueId must differ', [
      { path: 'body.toQueueId', message: 'Must differ from fromQueueId' },
    ]);
  }
  transferTarget(setup, to, 'toQueueId');
  if (input.ticketIds) {
    // Deduplicated ids, and `found` indexed like them (not like input.ticketIds).
    const ids = [...new Set(input.ticketIds)];
    const found = await Promise.all(ids.map((id) => ctx.tickets.get(ctx.actor.tenantId, id)));
    const unknown = ids.filter((_, i) => !found[i] || found[i]!.branchId !== branchId);
    if (unknown.length > 0) {
      throw new ValidationError(
        'ticketIds must be tickets of this branch',
        unknown.map((id) => ({
          path: `body.ticketIds.${input.ticketIds!.indexOf(id)}`,
          message: 'Must be a ticket of this branch',
        })),
      );
    }
    // At most 100 ids (the request schema), so all of them fit in one request.
    const moved = await moveAll(
      ctx,
      setup,
      (found as TicketRecord[]).map((ticket) => ({ ticket, from, to })),
    );
    return { moved, count: moved.length, remaining: 0 };
  }
  const wanted = Math.min(input.count ?? Number.POSITIVE_INFINITY, waitingCount(source.live));
  const tickets = await waitingInCallOrder(ctx, setup, from, Math.min(wanted, MAX_MOVES));
  const moved = await moveAll(
    ctx,
    setup,
    tickets.map((ticket) => ({ ticket, from, to })),
  );
  return { moved, count: moved.length, remaining: Math.max(0, wanted - tickets.length) };
}

/**
 * Balance in rounds: plan the moves from the live counts (balanceMoves), read each giving
 * queue's latest arrivals, move them, and plan again from fresh counts — which take concurrent
 * calls into account — until the counts are balanced, MAX_MOVES tickets moved, or three rounds
 * in a row moved nothing (every planned ticket stopped waiting meanwhile).
 */
async function balance(ctx: TicketContext, initial: BranchSetup, queueIds: string[]): Promise<Reassigned> {
  const ids = [...new Set(queueIds)];
  if (ids.length < 2) {
    throw new ValidationError('Balance needs at least two distinct queues', [
      { path: 'body.queueIds', message: 'Must name at least two distinct queues' },
    ]);
  }
  for (const [i, id] of queueIds.entries()) transferTarget(initial, id, `queueIds.${i}`);
  const moved: string[] = [];
  let setup = initial;
  const counts = () => ids.map((id) => waitingCount(setup.queues.find((q) => q.id === id)!.live));
  for (let idle = 0; idle < 3; ) {
    const plan = balanceMoves(counts(), MAX_MOVES - moved.length);
    if (plan.length === 0) break;
    const givers = [...new Set(plan.map(([from]) => from))];
    const arrivals = await Promise.all(
      givers.map((g) => latestArrivals(ctx, setup, ids[g]!, plan.filter(([from]) => from === g).length)),
    );
    const next = new Map(givers.map((g, i) => [g, arrivals[i]!]));
    const moves = plan.flatMap(([from, to]) => {
      const ticket = next.get(from)!.shift();
      return ticket ? [{ ticket, from: ids[from]!, to: ids[to]! }] : [];
    });
    const done = await moveAll(ctx, setup, moves);
    moved.push(...done);
    idle = done.length > 0 ? 0 : idle + 1;
    setup = await ctx.setups.load(ctx.actor.tenantId, initial.branch.id);
  }
  return { moved, count: moved.length, remaining: balanceMoves(counts()).length };
}
