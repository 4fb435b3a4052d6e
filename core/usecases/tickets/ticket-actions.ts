import { waitingSortKey } from '#core/domain/call-order';
import { ConflictError, unknownReference } from '#core/domain/errors';
import { lineOf, type Place } from '#core/domain/positions';
import type { BranchSetup } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import { publicView, type Ticket, type TicketAction } from '#core/domain/ticket';
import {
  actionChange,
  keepsPlace,
  movedPriority,
  type TicketChange,
  type TransferTarget,
  transferChange,
} from '#core/domain/ticket-changes';
import { WriteConflict } from '#core/ports/tickets';
import { backoff, type TicketContext, ticketInScope } from './context';

const MAX_ATTEMPTS = 5;

interface TicketRef {
  branchId: string;
  ticketId: string;
}

/**
 * Runs one ticket action: read the ticket and its branch, compute the change (409 when the
 * state machine forbids it), apply it atomically; if the ticket or its counter changed in
 * between, start over from fresh state.
 */
async function act(
  ctx: TicketContext,
  ref: TicketRef,
  plan: (ticket: TicketRecord, setup: BranchSetup) => TicketChange | Promise<TicketChange>,
): Promise<Ticket> {
  for (let attempt = 1; ; attempt++) {
    const { setup, ticket } = await ticketInScope(ctx, ref);
    const change = await plan(ticket, setup);
    try {
      await ctx.tickets.apply(ctx.actor.tenantId, change);
      return publicView(change.ticket);
    } catch (error) {
      if (!(error instanceof WriteConflict) || attempt >= MAX_ATTEMPTS) {
        if (error instanceof WriteConflict)
          throw new ConflictError('concurrent-change', 'The ticket keeps changing; retry');
        throw error;
      }
      await backoff(attempt);
    }
  }
}

export type SimpleAction = Exclude<TicketAction, 'transfer'>;

/** start, complete, no-show, recall, cancel; a completed ticket counts as served. */
export async function applyTicketAction(
  ctx: TicketContext,
  { action, ...ref }: TicketRef & { action: SimpleAction },
) {
  const ticket = await act(ctx, ref, (ticket, setup) =>
    actionChange(
      ticket,
      action,
      setup.counters.find((c) => c.id === ticket.counterId),
      ctx.now,
      setup.branch.contactRetentionHours,
    ),
  );
  if (action === 'complete') ctx.metrics?.record('TicketsServed');
  return ticket;
}

export interface TransferInput extends TicketRef {
  queueId: string;
  placement?: 'keep' | 'back';
}

/** Queues a ticket may be moved into: same branch, not closed. */
export function transferTarget(setup: BranchSetup, queueId: string, field = 'queueId') {
  const queue = setup.queues.find((q) => q.id === queueId);
  if (!queue) throw unknownReference(field, 'a queue of this branch');
  if (queue.status === 'closed') throw new ConflictError('queue-closed', 'The target queue is closed');
  return queue;
}

/**
 * Where a moved ticket stands in its target line (domain/positions.ts): where it was, if it stays
 * in its own line keeping its place; otherwise it is inserted at its sort key, before the first
 * waiting ticket after it — whose entry it records (one Query of that line's head past its key;
 * none when nobody waits there). Its position is then exact among the line's entries.
 */
export async function placeOnMove(
  ctx: TicketContext,
  ticket: TicketRecord,
  queue: BranchSetup['queues'][number],
  placement: TransferTarget['placement'],
): Promise<Place> {
  if (keepsPlace(ticket, queue, placement)) return ticket.place!;
  const { rank } = movedPriority(ticket, queue);
  const key = waitingSortKey(placement === 'back' ? ctx.now.toISOString() : ticket.queuedAt, ticket.id);
  const next = queue.live.waitingByRank.get(rank)
    ? await ctx.tickets.firstWaitingAfter(ctx.actor.tenantId, queue.id, rank, key)
    : undefined;
  return { entry: next?.place?.entry ?? lineOf(queue, rank).entered + 1, inserted: true };
}

export function transferTicket(ctx: TicketContext, input: TransferInput) {
  return act(ctx, input, async (ticket, setup) => {
    const queue = transferTarget(setup, input.queueId);
    const placement = input.placement ?? 'keep';
    const place = await placeOnMove(ctx, ticket, queue, placement);
    return transferChange(ticket, { queue, placement, place }, ctx.actor, ctx.now);
  });
}
