import type { Actor } from '#core/domain/actor';
import { assertBranchScope } from '#core/domain/actor';
import { NotFoundError } from '#core/domain/errors';
import type { BranchSetup } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import type { TicketStore } from '#core/ports/tickets';

/** What ticket use cases run on: the caller, the clock, and the ports. */
export interface TicketContext {
  actor: Actor;
  now: Date;
  store: TicketStore;
  loadSetup(tenantId: string, branchId: string): Promise<BranchSetup>;
}

/**
 * Order of checks (docs/rules.md#order-of-checks): 404 (branch, other tenant) before 403 (branch
 * scope).
 */
export async function branchInScope(ctx: TicketContext, branchId: string): Promise<BranchSetup> {
  const setup = await ctx.loadSetup(ctx.actor.tenantId, branchId);
  assertBranchScope(ctx.actor, branchId);
  return setup;
}

/** A ticket of this branch (404 otherwise, also for other tenants' ids), with its branch. */
export async function ticketInScope(
  ctx: TicketContext,
  branchId: string,
  ticketId: string,
): Promise<{ setup: BranchSetup; ticket: TicketRecord }> {
  const [setup, ticket] = await Promise.all([
    ctx.loadSetup(ctx.actor.tenantId, branchId),
    ctx.store.get(ctx.actor.tenantId, ticketId),
  ]);
  if (!ticket || ticket.branchId !== branchId) throw new NotFoundError('Ticket');
  assertBranchScope(ctx.actor, branchId);
  return { setup, ticket };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Small jittered pause before re-reading after a lost race. */
export const backoff = (attempt: number) => sleep(Math.random() * Math.min(50, 2 * attempt));
