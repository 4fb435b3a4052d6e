import { businessDayOf, localHourOf } from '../../domain/business-day';
import { ConflictError, unknownReference, ValidationError } from '../../domain/errors';
import { queueEstimate } from '../../domain/estimates';
import { newId } from '../../domain/ids';
import { newPublicToken } from '../../domain/public-token';
import { type BranchSetup, type QueueLive, waitingCount } from '../../domain/setup';
import { type Customer, publicView, type Ticket, type TicketRecord, ticketCode } from '../../domain/ticket';
import { issueChange } from '../../domain/ticket-changes';
import { branchInScope, type TicketContext } from './context';
import { standingOf } from './position';

export interface EnqueueInput {
  branchId: string;
  queueId?: string;
  priorityId?: string;
  customer?: Customer | null;
  note?: string | null;
}

export interface Issued {
  ticket: Ticket;
  position: number;
  estimatedWaitSeconds: number | null;
}

type QueueWithLive = BranchSetup['queues'][number];

/** Automatic routing: the open queue of the priority with the lowest estimated wait. */
export function routeToQueue(setup: BranchSetup, priorityId: string): QueueWithLive | undefined {
  const wait = (q: QueueWithLive) => queueEstimate(setup, q) ?? Number.POSITIVE_INFINITY;
  return setup.queues
    .filter((q) => q.priorityId === priorityId && q.status === 'open')
    .sort(
      (a, b) =>
        wait(a) - wait(b) ||
        waitingCount(a.live) - waitingCount(b.live) ||
        a.createdAt.localeCompare(b.createdAt) ||
        a.id.localeCompare(b.id),
    )[0];
}

/**
 * Enqueue (SPEC §6): pick the queue, take the next number of its business day, then write
 * the ticket, its waiting count and its `issued` figure in one transaction.
 */
export async function enqueue(ctx: TicketContext, input: EnqueueInput): Promise<Issued> {
  const { tenantId } = ctx.actor;
  if (!input.queueId && !input.priorityId) {
    throw new ValidationError('Give a queueId, or a priorityId for automatic routing', [
      { path: 'body.queueId', message: 'Required when priorityId is absent' },
    ]);
  }
  const [setup, individual] = await Promise.all([
    branchInScope(ctx, input.branchId),
    input.queueId && input.priorityId ? ctx.store.getPriority(tenantId, input.priorityId) : undefined,
  ]);
  let queue: QueueWithLive | undefined;
  if (input.queueId) {
    queue = setup.queues.find((q) => q.id === input.queueId);
    if (!queue) throw unknownReference('queueId', 'a queue of this branch');
    if (input.priorityId && !individual) throw unknownReference('priorityId', 'an existing priority');
    if (queue.status !== 'open') throw new ConflictError('queue-not-open', `The queue is ${queue.status}`);
  } else {
    queue = routeToQueue(setup, input.priorityId!);
    if (!queue) throw new ConflictError('no-open-queue', 'No open queue serves this priority in this branch');
  }

  const { branch } = setup;
  const createdAt = ctx.now.toISOString();
  const businessDay = businessDayOf(ctx.now, branch.timezone, branch.resetHour);
  const number = await ctx.store.nextNumber(tenantId, branch.id, queue.id, businessDay, branch.closeEpoch);
  const id = newId(ctx.now.getTime());
  const priorityId = individual?.id ?? queue.priorityId;
  const ticket: TicketRecord = {
    id,
    branchId: branch.id,
    queueId: queue.id,
    priorityId,
    number,
    code: ticketCode(queue.prefix, number),
    businessDay,
    status: 'waiting',
    customer: input.customer ?? null,
    note: input.note ?? null,
    createdAt,
    queuedAt: createdAt,
    calledAt: null,
    startedAt: null,
    endedAt: null,
    counterId: null,
    servedBy: null,
    recalls: 0,
    transfers: [],
    publicToken: newPublicToken(tenantId, id),
    updatedAt: createdAt,
    rank: individual?.rank ?? queue.priorityRank,
    targetWaitMinutes: individual?.targetWaitMinutes ?? queue.targetWaitMinutes,
    individualPriority: !!individual,
    closeEpoch: branch.closeEpoch,
    issuedQueueId: queue.id,
    issuedPriorityId: priorityId,
    hour: localHourOf(ctx.now, branch.timezone),
    firstCall: null,
    rev: 0,
  };
  await ctx.store.apply(tenantId, issueChange(ticket));

  // Count the new ticket in the live figures read before it existed.
  const live: QueueLive = { ...queue.live, waitingByRank: new Map(queue.live.waitingByRank) };
  live.waitingByRank.set(ticket.rank, (live.waitingByRank.get(ticket.rank) ?? 0) + 1);
  const withTicket = { ...setup, queues: setup.queues.map((q) => (q.id === queue.id ? { ...q, live } : q)) };
  const standing = await standingOf(ctx.store, tenantId, withTicket, ticket, ctx.now, { newest: true });
  return {
    ticket: publicView(ticket),
    position: standing.position!,
    estimatedWaitSeconds: standing.estimatedWaitSeconds,
  };
}
