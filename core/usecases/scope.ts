import { type Actor, assertBranchScope } from '#core/domain/actor';
import { NotFoundError } from '#core/domain/errors';
import type { BranchSetup } from '#core/domain/setup';
import type { SetupStore } from '#core/ports/setup';

/**
 * What every use case's context carries besides the ports it needs: who calls (the verified
 * actor; a few use cases run without one) and the instant the call is for.
 */
export interface Caller {
  actor: Actor;
  now: Date;
}

/**
 * Something of a branch, read for the caller: every 404 — `read` found nothing (undefined, or
 * NotFoundError: missing, deleted, another tenant's) — comes before the 403 of branch scope, so
 * an id outside the caller's branches tells no more than an unknown one.
 */
export async function inBranchScope<T>(
  actor: Actor,
  branchId: string,
  read: T | undefined | PromiseLike<T | undefined>,
  what = 'Branch',
): Promise<T> {
  const found = await read;
  if (found === undefined) throw new NotFoundError(what);
  assertBranchScope(actor, branchId);
  return found;
}

/** The branch's whole setup, read for the caller (see inBranchScope). */
export const setupInScope = (
  ctx: { actor: Actor; setups: SetupStore },
  branchId: string,
): Promise<BranchSetup> => inBranchScope(ctx.actor, branchId, ctx.setups.load(ctx.actor.tenantId, branchId));
