import { businessDayOf, localHourOf } from '#core/domain/business-day';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
  unknownReference,
  ValidationError,
} from '#core/domain/errors';
import { queueEstimate } from '#core/domain/estimates';
import { ticketId } from '#core/domain/ids';
import { channelSet, missingContact, type NotifyChannel } from '#core/domain/notify';
import { type Claim, claimNext, type Sequence, sequenceFor, tidy } from '#core/domain/numbering';
import { newPublicToken } from '#core/domain/public-token';
import { type BranchSetup, type Priority, waitingCount } from '#core/domain/setup';
import {
  type Customer,
  publicView,
  sourceOfRole,
  type Ticket,
  type TicketRecord,
  type TicketSource,
  waitingTicket,
} from '#core/domain/ticket';
import { issueChange } from '#core/domain/ticket-changes';
import { WriteConflict } from '#core/ports/tickets';
import { setupInScope } from '#core/usecases/scope';
import { backoff, type TicketContext } from './context';
import { standingOf } from './position';

export interface EnqueueInput {
  branchId: string;
  queueId?: string;
  priorityId?: string;
  customer?: Customer | null;
  note?: string | null;
  /** Default: the caller's (a kiosk session's tickets are `kiosk`, anyone else's `staff`). */
  source?: TicketSource;
  /** Near-turn and called messages by SMS / email, to the customer's phone / email. */
  notify?: NotifyChannel[];
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
 * Enqueue: read the branch (its queues, their live figures and numbering), pick the queue, and
 * write the ticket with the queue's next number — and its line's next entry, and `queuedAt` —
 * in one transaction with the queue's numbering, on condition that the numbering is unchanged:
 * two requests. When another enqueue changed it first, the queue is contended: rather than
 * racing again, reserve the following number atomically (`ADD`) and write the ticket with it.
 * Either way the ticket's live shard requires the queue to be open (a pause, close or delete
 * that got in first refuses it). Numbers stay unique under any concurrency, and gapless unless
 * a write fails after a reservation.
 */
export async function enqueue(ctx: TicketContext, input: EnqueueInput): Promise<Issued> {
  const { ticket, position, estimatedWaitSeconds } = await issueTicket(ctx, input);
  return { ticket, position, estimatedWaitSeconds };
}

/** Enqueue, telling also the name of the queue the ticket went to (the join page shows it). */
export async function issueTicket(
  ctx: TicketContext,
  input: EnqueueInput,
): Promise<Issued & { queueName: string }> {
  const { tenantId } = ctx.actor;
  if (!input.queueId && !input.priorityId) {
    throw new ValidationError('Give a queueId, or a priorityId for automatic routing', [
      { path: 'body.queueId', message: 'Required when priorityId is absent' },
    ]);
  }
  const missing = input.notify?.length ? missingContact(input.notify, input.customer) : null;
  if (missing) throw new ValidationError('The messages asked for need the customer’s contact', [missing]);
  const individual =
    input.queueId && input.priorityId ? ctx.tickets.getPriority(tenantId, input.priorityId) : undefined;
  const source = input.source ?? sourceOfRole(ctx.actor.roleId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) await backoff(attempt);
    const setup = await setupInScope(ctx, input.branchId);
    // A remote join needs remote join on, as the branch is now (the public handle may lag a change).
    if (source === 'remote' && !setup.branch.remoteJoin.enabled) throw new NotFoundError('Branch');
    const remoteMax = setup.branch.remoteJoin.maxWaiting;
    const own = await individual;
    const queue = chooseQueue(setup, input, own);
    const rank = own?.rank ?? queue.priorityRank;
    const { branch } = setup;
    const seq = sequenceFor(
      queue.numbering,
      businessDayOf(ctx.now, branch.timezone, branch.resetHour),
      branch.closeEpoch,
    );
    const tidied = queue.numbering && tidy(queue.numbering, queue.live, ctx.now);
    let claim = claimNext(tidied?.numbering ?? null, seq, rank, ctx.now);
    let ticket = newTicket(ctx, setup, queue, { ...input, source }, own, seq, claim);
    try {
      await ctx.tickets.apply(
        tenantId,
        issueChange(
          ticket,
          {
            queueId: queue.id,
            expect: queue.numbering,
            next: claim.numbering,
            forget: tidied?.forget ?? [],
          },
          remoteMax,
        ),
      );
    } catch (error) {
      if (error instanceof WriteConflict && error.part === 'queue') continue; // read again: 409
      if (error instanceof WriteConflict && error.part === 'remote') throw remoteJoinFull();
      if (!(error instanceof WriteConflict) || error.part !== 'numbering') throw error;
      const reserved = await ctx.tickets.reserveNumber(tenantId, branch.id, queue.id, seq, rank, ctx.now);
      // The numbering moved to another day or epoch meanwhile: read again.
      if (!('claim' in reserved)) continue;
      claim = reserved.claim;
      ticket = newTicket(ctx, setup, queue, { ...input, source }, own, seq, claim);
      try {
        await ctx.tickets.apply(tenantId, issueChange(ticket, undefined, remoteMax));
      } catch (error) {
        const refused = error instanceof WriteConflict && (error.part === 'queue' || error.part === 'remote');
        if (!refused) throw error;
        await ctx.tickets.releaseNumber(tenantId, branch.id, queue.id, rank, claim);
        if (error.part === 'remote') throw remoteJoinFull();
        continue;
      }
    }
    // The position as of the branch read, with the numbering as this ticket left it: tickets
    // that took earlier numbers but are still being written count as ahead.
    const issued = {
      ...setup,
      queues: setup.queues.map((q) => (q.id === queue.id ? { ...q, numbering: claim.numbering } : q)),
    };
    const standing = standingOf(issued, ticket, ctx.now);
    ctx.metrics?.record('TicketsIssued');
    return {
      ticket: publicView(ticket),
      position: standing.position!,
      estimatedWaitSeconds: standing.estimatedWaitSeconds,
      queueName: queue.name,
    };
  }
  throw new ServiceUnavailableError('Too many tickets at once; retry shortly');
}

const remoteJoinFull = () =>
  new ConflictError('remote-join-full', 'This branch takes no more remote tickets until some are called');

function chooseQueue(setup: BranchSetup, input: EnqueueInput, individual: Priority | undefined) {
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
  seq: Sequence,
  claim: Claim,
): TicketRecord {
  const issuedAt = new Date(claim.queuedAt);
  const id = ticketId(issuedAt.getTime(), claim.entry);
  return waitingTicket({
    id,
    branchId: branch.id,
    queueId: queue.id,
    priorityId: individual?.id ?? queue.priorityId,
    prefix: queue.prefix,
    number: claim.number,
    entry: claim.entry,
    businessDay: seq.day,
    createdAt: claim.queuedAt,
    publicToken: newPublicToken(ctx.actor.tenantId, id),
    rank: individual?.rank ?? queue.priorityRank,
    targetWaitMinutes: individual?.targetWaitMinutes ?? queue.targetWaitMinutes,
    individualPriority: !!individual,
    closeEpoch: seq.epoch,
    hour: localHourOf(issuedAt, branch.timezone),
    customer: input.customer,
    note: input.note,
    source: input.source,
    notify: input.notify && channelSet(input.notify),
  });
}
