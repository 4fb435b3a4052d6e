import { ConflictError, NotFoundError } from '#core/domain/errors';
import { parsePublicToken, samePublicToken } from '#core/domain/public-token';
import type { BranchSetup } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import { actionChange } from '#core/domain/ticket-changes';
import { WriteConflict } from '#core/ports/tickets';
import { type BrandingView, brandingOrNone, brandingView } from '#core/usecases/tenant/branding';
import type { PublicTicketContext } from './context';
import { standingOf } from './position';

export interface PublicStatus {
  code: string;
  status: string;
  queueName: string | null;
  position: number | null;
  estimatedWaitSeconds: number | null;
  counterName: string | null;
  calledAt: string | null;
  branchName: string;
  language: string;
  timezone: string;
  branding: BrandingView;
}

/** The ticket's public token: all the customer holds, and all that names the ticket. */
export interface PublicTicketInput {
  publicToken: string;
}

/** The ticket a public token names (404 for any token this server did not give out). */
export async function ticketOfToken(
  ctx: Pick<PublicTicketContext, 'tickets'>,
  { publicToken: token }: PublicTicketInput,
) {
  const where = parsePublicToken(token);
  const ticket = where && (await ctx.tickets.get(where.tenantId, where.ticketId));
  if (!where || !ticket || !samePublicToken(ticket.publicToken, token)) throw new NotFoundError('Ticket');
  return { tenantId: where.tenantId, ticket };
}

async function find(ctx: PublicTicketContext, input: PublicTicketInput) {
  const { tenantId, ticket } = await ticketOfToken(ctx, input);
  // The branding is one small read beside the setup's, at the same time.
  const [setup, branding] = await Promise.all([
    ctx.setups.load(tenantId, ticket.branchId),
    ctx.branding.branding(tenantId),
  ]);
  return { tenantId, ticket, setup, branding: brandingView(tenantId, brandingOrNone(branding)) };
}

function view(
  ctx: PublicTicketContext,
  setup: BranchSetup,
  ticket: TicketRecord,
  branding: BrandingView,
): PublicStatus {
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
    branchName: setup.branch.name,
    language: setup.branch.language,
    timezone: setup.branch.timezone,
    branding,
  };
}

/** The customer's status page: no account, only the unguessable token from the ticket. */
export async function publicStatus(
  ctx: PublicTicketContext,
  input: PublicTicketInput,
): Promise<PublicStatus> {
  const { ticket, setup, branding } = await find(ctx, input);
  return view(ctx, setup, ticket, branding);
}

/** The status page and the ticket it shows: the live channel also needs where it waits. */
export async function publicTicketStatus(
  ctx: PublicTicketContext,
  input: PublicTicketInput,
): Promise<{ ticket: TicketRecord; status: PublicStatus }> {
  const { ticket, setup, branding } = await find(ctx, input);
  return { ticket, status: view(ctx, setup, ticket, branding) };
}

/** The customer gives up their place: only while waiting. */
export async function publicCancel(
  ctx: PublicTicketContext,
  input: PublicTicketInput,
): Promise<PublicStatus> {
  const { tenantId, ticket, setup, branding } = await find(ctx, input);
  if (ticket.status !== 'waiting')
    throw new ConflictError('invalid-transition', `Cannot cancel a ticket that is ${ticket.status}`);
  const change = actionChange(ticket, 'cancel', undefined, ctx.now, setup.branch.contactRetentionHours);
  try {
    await ctx.tickets.apply(tenantId, change);
  } catch (error) {
    if (error instanceof WriteConflict)
      throw new ConflictError('concurrent-change', 'The ticket changed meanwhile; reload');
    throw error;
  }
  return view(ctx, setup, change.ticket, branding);
}
