import { ConflictError, NotFoundError } from '#core/domain/errors';
import { parsePublicToken, samePublicToken } from '#core/domain/public-token';
import type { BranchSetup } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import { actionChange } from '#core/domain/ticket-changes';
import type { TicketStore } from '#core/ports/tickets';
import { WriteConflict } from '#core/ports/tickets';
import { standingOf } from './position';

export interface PublicStatus {
  code: string;
  status: string;
  queueName: string | null;
  position: number | null;
  estimatedWaitSeconds: number | null;
  counterName: string | null;
  calledAt: string | null;
}

export interface PublicContext {
  now: Date;
  store: TicketStore;
  loadSetup(tenantId: string, branchId: string): Promise<BranchSetup>;
}

async function find(ctx: PublicContext, token: string) {
  const where = parsePublicToken(token);
  const ticket = where && (await ctx.store.get(where.tenantId, where.ticketId));
  if (!where || !ticket || !samePublicToken(ticket.publicToken, token)) throw new NotFoundError('Ticket');
  const setup = await ctx.loadSetup(where.tenantId, ticket.branchId);
  return { tenantId: where.tenantId, ticket, setup };
}

function view(ctx: PublicContext, setup: BranchSetup, ticket: TicketRecord): PublicStatus {
  const standing = standingOf(setup, ticket, ctx.now);
  const atCounter = ticket.status === 'called' || ticket.status === 'serving';
  return {
    code: ticket.code,
    status: ticket.status,
    queueName: setup.queues.find((q) => q.id === ticket.queueId)?.name ?? null,
    position: standing.position,
    estimatedWaitSeconds: standing.estimatedWaitSeconds,
    counterName: atCounter ? (setup.counters.find((c) => c.id === ticket.counterId)?.name ?? null) : null,
    calledAt: ticket.calledAt,
  };
}

/** The customer's status page: no account, only the unguessable token from the ticket. */
export async function publicStatus(ctx: PublicContext, token: string): Promise<PublicStatus> {
  const { ticket, setup } = await find(ctx, token);
  return view(ctx, setup, ticket);
}

/** The customer gives up their place: only while waiting. */
export async function publicCancel(ctx: PublicContext, token: string): Promise<PublicStatus> {
  const { tenantId, ticket, setup } = await find(ctx, token);
  if (ticket.status !== 'waiting')
    throw new ConflictError('invalid-transition', `Cannot cancel a ticket that is ${ticket.status}`);
  const change = actionChange(ticket, 'cancel', undefined, ctx.now);
  try {
    await ctx.store.apply(tenantId, change);
  } catch (error) {
    if (error instanceof WriteConflict)
      throw new ConflictError('concurrent-change', 'The ticket changed meanwhile; reload');
    throw error;
  }
  return view(ctx, setup, change.ticket);
}
