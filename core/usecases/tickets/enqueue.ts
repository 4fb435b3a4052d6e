import { businessDayOf, localHourOf } from '../../domain/business-day';
import {
  ConflictError,
  ServiceUnavailableError,
  unknownReference,
  ValidationError,
} from '../../domain/errors';
import { queueEstimate } from '../../domain/estimates';
import { newId } from '../../domain/ids';
import { newPublicToken } from '../../domain/public-token';
import {
  type BranchSetup,
  nextNumber,
  type Priority,
  type QueueLive,
  waitingCount,
} from '../../domain/setup';
import {
  type Customer,
  publicView,
  type Ticket,
  type TicketRecord,
  ticketCode,
  waitingTicket,
} from '../../domain/ticket';
import { issueChange } from '../../domain/ticket-changes';
import { WriteConflict } from '../../ports/tickets';
import { backoff, branchInScope, type TicketContext } from './context';
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

const MAX_ATTEMPTS = 20;

/**
 * Enqueue (SPEC §6): read the branch (its queues, their live counts and numbering), pick the
 * queue, and write the ticket with the queue's next number, its waiting count and its `issued`
 * figure in one transaction — conditioned on that number still being the next: two requests.
 * When another enqueue took the number first, the queue is contended: rather than racing again,
 * reserve the following number atomically (`ADD`) and write the ticket with it. Numbers stay
 * unique under any concurrency, and gapless unless a write fails after a reservation.
 */
export async function enqueue(ctx: TicketContext, input: EnqueueInput): Promise<Issued> {
  const { tenantId } = ctx.actor;
  if (!input.queueId && !input.priorityId) {
    throw new ValidationError('Give a queueId, or a priorityId for automatic routing', [
      { path: 'body.queueId', message: 'Required when priorityId is absent' },
    ]);
  }
  const individual =
    input.queueId && input.priorityId ? ctx.store.getPriority(tenantId, input.priorityId) : undefined;
  for (let attempt = 1; ; attempt++) {
    const setup = await branchInScope(ctx, input.branchId);
    const queue = await chooseQueue(setup, input, await individual);
    let ticket = newTicket(ctx, setup, queue, input, await individual);
    try {
      await ctx.store.apply(tenantId, issueChange(ticket, queue.numbering));
    } catch (error) {
      if (!(error instanceof WriteConflict) || error.part !== 'numbering') throw error;
      const reserved = await ctx.store.reserveNumber(
        tenantId,
        setup.branch.id,
        queue.id,
        ticket.businessDay,
        ticket.closeEpoch,
      );
      if (reserved === undefined) {
        // The numbering moved to another day or epoch meanwhile: read again.
        if (attempt >= MAX_ATTEMPTS)
          throw new ServiceUnavailableError('Too many tickets at once; retry shortly');
        await backoff(attempt);
        continue;
      }
      ticket = { ...ticket, number: reserved, code: ticketCode(queue.prefix, reserved) };
      await ctx.store.apply(tenantId, issueChange(ticket, undefined));
    }
    // Count the new ticket in the live figures read before it existed.
    const live: QueueLive = { ...queue.live, waitingByRank: new Map(queue.live.waitingByRank) };
    live.waitingByRank.set(ticket.rank, (live.waitingByRank.get(ticket.rank) ?? 0) + 1);
    const withTicket = {
      ...setup,
      queues: setup.queues.map((q) => (q.id === queue.id ? { ...q, live } : q)),
    };
    const standing = await standingOf(ctx.store, tenantId, withTicket, ticket, ctx.now, { newest: true });
    return {
      ticket: publicView(ticket),
      position: standing.position!,
      estimatedWaitSeconds: standing.estimatedWaitSeconds,
    };
  }
}

async function chooseQueue(setup: BranchSetup, input: EnqueueInput, individual: Priority | undefined) {
  if (input.queueId) {
    const queue = setup.queues.find((q) => q.id === input.queueId);
    if (!queue) throw unknownReference('queueId', 'a queue of this branch');
    if (input.priorityId && !individual) throw unknownReference('priorityId', 'an existing priority');
    if (queue.status !== 'open') throw new ConflictError('queue-not-open', `The queue is ${queue.status}`);
    return queue;
  }
  const queue = routeToQueue(setup, input.priorityId!);
  if (!queue) throw new ConflictError('no-open-queue', 'No open queue serves this priority in this branch');
  return queue;
}

function newTicket(
  ctx: TicketContext,
  { branch }: BranchSetup,
  queue: QueueWithLive,
  input: EnqueueInput,
  individual: Priority | undefined,
): TicketRecord {
  const businessDay = businessDayOf(ctx.now, branch.timezone, branch.resetHour);
  const id = newId(ctx.now.getTime());
  return waitingTicket({
    id,
    branchId: branch.id,
    queueId: queue.id,
    priorityId: individual?.id ?? queue.priorityId,
    prefix: queue.prefix,
    number: nextNumber(queue.numbering, businessDay, branch.closeEpoch),
    businessDay,
    createdAt: ctx.now.toISOString(),
    publicToken: newPublicToken(ctx.actor.tenantId, id),
    rank: individual?.rank ?? queue.priorityRank,
    targetWaitMinutes: individual?.targetWaitMinutes ?? queue.targetWaitMinutes,
    individualPriority: !!individual,
    closeEpoch: branch.closeEpoch,
    hour: localHourOf(ctx.now, branch.timezone),
    customer: input.customer,
    note: input.note,
  });
}
