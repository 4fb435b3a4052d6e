import { businessDayOf } from '#core/domain/business-day';
import { publicView, type Ticket, type TicketStatus } from '#core/domain/ticket';
import { setupInScope } from '#core/usecases/scope';
import { type TicketContext, ticketInScope } from './context';
import { type Standing, standingOf } from './position';

/** GET one ticket: `{ ticket, position, estimatedWaitSeconds }` (the last two while waiting). */
export async function getTicket(
  ctx: TicketContext,
  ref: { branchId: string; ticketId: string },
): Promise<{ ticket: Ticket } & Standing> {
  const { setup, ticket } = await ticketInScope(ctx, ref);
  return { ticket: publicView(ticket), ...standingOf(setup, ticket, ctx.now) };
}

export interface ListTicketsInput {
  branchId: string;
  status?: TicketStatus;
  queueId?: string;
  /** Defaults to the branch's current business day. */
  businessDay?: string;
  limit: number;
  cursor?: string;
}

export async function listTickets(ctx: TicketContext, input: ListTicketsInput) {
  const { branchId } = input;
  const { branch } = await setupInScope(ctx, branchId);
  const day = input.businessDay ?? businessDayOf(ctx.now, branch.timezone, branch.resetHour);
  const page = await ctx.tickets.listByDay(
    ctx.actor.tenantId,
    branchId,
    day,
    { status: input.status, queueId: input.queueId },
    { limit: input.limit, cursor: input.cursor },
  );
  return { items: page.items.map(publicView), nextCursor: page.nextCursor };
}
