import type { BranchSetup } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import type { BrandingStore } from '#core/ports/branding';
import type { MetricsRecorder } from '#core/ports/metrics';
import type { SetupStore } from '#core/ports/setup';
import type { TicketStore } from '#core/ports/tickets';
import { type Caller, inBranchScope } from '#core/usecases/scope';

/** What ticket use cases run on: the caller, the clock, and the ports. */
export interface TicketContext extends Caller {
  tickets: TicketStore;
  setups: SetupStore;
  /** Where issues, calls, services and call-next's lost races are counted; absent, they are not. */
  metrics?: MetricsRecorder;
}

/** The customer's side (a ticket's public token, no account): no caller; the organisation's branding. */
export type PublicTicketContext = Omit<TicketContext, 'actor'> & {
  branding: Pick<BrandingStore, 'branding'>;
};

/** A ticket of this branch (404 otherwise, also for other tenants' ids), with its branch. */
export function ticketInScope(
  ctx: TicketContext,
  { branchId, ticketId }: { branchId: string; ticketId: string },
): Promise<{ setup: BranchSetup; ticket: TicketRecord }> {
  const { tenantId } = ctx.actor;
  const read = Promise.all([ctx.setups.load(tenantId, branchId), ctx.tickets.get(tenantId, ticketId)]).then(
    ([setup, ticket]) => (ticket?.branchId === branchId ? { setup, ticket } : undefined),
  );
  return inBranchScope(ctx.actor, branchId, read, 'Ticket');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Small jittered pause before re-reading after a lost race. */
export const backoff = (attempt: number) => sleep(Math.random() * Math.min(50, 2 * attempt));
