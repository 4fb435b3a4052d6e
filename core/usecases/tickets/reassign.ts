import { sortByCallOrder } from '../../domain/call-order';
import { ConflictError, unknownReference, ValidationError } from '../../domain/errors';
import { type BranchSetup, waitingCount } from '../../domain/setup';
import type { TicketRecord } from '../../domain/ticket';
import { transferChange } from '../../domain/ticket-changes';
import { WriteConflict } from '../../ports/tickets';
import { branchInScope, type TicketContext } from './context';
import { placeOnMove, transferTarget } from './ticket-actions';

export type ReassignInput =
  | { fromQueueId: string; toQueueId: string; count?: number; ticketIds?: undefined; mode?: undefined }
  | { fromQueueId: string; toQueueId: string; ticketIds: string[]; count?: undefined; mode?: undefined }
  | { mode: 'balance'; queueIds: string[] };

export interface Reassigned {
  moved: string[];
  count: number;
}

const PARALLEL_MOVES = 4;

/**
 * Moves one waiting ticket atomically (the transfer rule: keep number, code, createdAt and
 * queuedAt). A ticket that stopped waiting or left the source queue meanwhile is skipped.
 */
async function move(
  ctx: TicketContext,
  setup: BranchSetup,
  ticket: TicketRecord,
  fromQueueId: string,
  toQueueId: string,
): Promise<boolean> {
  if (ticket.status !== 'waiting' || ticket.queueId !== fromQueueId) return false;
  const queue = transferTarget(setup, toQueueId);
  const place = await placeOnMove(ctx, ticket, queue, 'keep');
  const change = transferChange(ticket, { queue, placement: 'keep', place }, ctx.actor, ctx.now);
  try {
    await ctx.store.apply(ctx.actor.tenantId, change);
    return true;
  } catch (error) {
    if (!(error instanceof WriteConflict)) throw error;
    if (error.part === 'queue') throw new ConflictError('queue-closed', 'The target queue is closed');
    // It changed since we read it: re-read once and move it only if it still waits there.
    const fresh = await ctx.store.get(ctx.actor.tenantId, ticket.id);
    return fresh ? move(ctx, setup, fresh, fromQueueId, toQueueId) : false;
  }
}

async function moveAll(
  ctx: TicketContext,
  setup: BranchSetup,
  tickets: TicketRecord[],
  from: string,
  to: string,
) {
  const moved: string[] = [];
  for (let i = 0; i < tickets.length; i += PARALLEL_MOVES) {
    const batch = tickets.slice(i, i + PARALLEL_MOVES);
    const results = await Promise.all(batch.map((t) => move(ctx, setup, t, from, to)));
    results.forEach((ok, j) => {
      if (ok) moved.push(batch[j]!.id);
    });
  }
  return moved;
}

/**
 * The first `limit` (default: every) waiting tickets of a queue, best first in call-next order.
 * Within a rank partition call order is index order, so the best `limit` of the queue are
 * among the first `limit` of each partition: a count reads that many per partition, not the
 * whole queue.
 */
async function waitingInCallOrder(ctx: TicketContext, setup: BranchSetup, queueId: string, limit?: number) {
  const queue = setup.queues.find((q) => q.id === queueId)!;
  const partitions = await Promise.all(
    [...queue.live.waitingByRank.keys()].map((rank) =>
      ctx.store.waiting(ctx.actor.tenantId, queueId, rank, { limit }),
    ),
  );
  return sortByCallOrder(partitions.flat(), ctx.now, setup.branch.agingMinutes).slice(0, limit);
}

/** The most recently arrived waiting ticket of a queue (the one balance moves). */
async function latestArrival(ctx: TicketContext, setup: BranchSetup, queueId: string) {
  const queue = setup.queues.find((q) => q.id === queueId)!;
  const lasts = await Promise.all(
    [...queue.live.waitingByRank.keys()].map((rank) =>
      ctx.store.waiting(ctx.actor.tenantId, queueId, rank, { limit: 1, newestFirst: true }),
    ),
  );
  return lasts
    .flat()
    .sort((a, b) =>
      a.queuedAt === b.queuedAt ? b.id.localeCompare(a.id) : b.queuedAt.localeCompare(a.queuedAt),
    )[0];
}

/** SPEC §6 Reassign: count, explicit ids, or balance. */
export async function reassign(
  ctx: TicketContext,
  branchId: string,
  input: ReassignInput,
): Promise<Reassigned> {
  const setup = await branchInScope(ctx, branchId);
  if (input.mode === 'balance') return balance(ctx, setup, input.queueIds);

  if (!setup.queues.some((q) => q.id === input.fromQueueId)) {
    throw unknownReference('fromQueueId', 'a queue of this branch');
  }
  // 400 before 409 (SPEC §3): the same queue twice is invalid whatever the queue's status.
  if (input.fromQueueId === input.toQueueId) {
    throw new ValidationError('fromQueueId and toQueueId must differ', [
      { path: 'body.toQueueId', message: 'Must differ from fromQueueId' },
    ]);
  }
  transferTarget(setup, input.toQueueId, 'toQueueId');
  let tickets: TicketRecord[];
  if (input.ticketIds) {
    // Deduplicated ids, and `found` indexed like them (not like input.ticketIds).
    const ids = [...new Set(input.ticketIds)];
    const found = await Promise.all(ids.map((id) => ctx.store.get(ctx.actor.tenantId, id)));
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
    tickets = found as TicketRecord[];
  } else {
    tickets = await waitingInCallOrder(ctx, setup, input.fromQueueId, input.count);
  }
  const moved = await moveAll(ctx, setup, tickets, input.fromQueueId, input.toQueueId);
  return { moved, count: moved.length };
}

/**
 * Balance: repeatedly move the most recently arrived ticket of the longest queue to the
 * shortest, until their waiting counts differ by at most one. Counts are re-read from the
 * live figures after every move, so concurrent calls are taken into account.
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
  let misses = 0;
  while (misses < 3) {
    const queues = ids.map((id) => setup.queues.find((q) => q.id === id)!);
    const byLength = [...queues].sort((a, b) => waitingCount(a.live) - waitingCount(b.live));
    const shortest = byLength[0]!;
    const longest = byLength.at(-1)!;
    if (waitingCount(longest.live) - waitingCount(shortest.live) <= 1) break;
    const ticket = await latestArrival(ctx, setup, longest.id);
    if (ticket && (await move(ctx, setup, ticket, longest.id, shortest.id))) {
      moved.push(ticket.id);
      misses = 0;
    } else misses++;
    setup = await ctx.loadSetup(ctx.actor.tenantId, initial.branch.id);
  }
  return { moved, count: moved.length };
}
