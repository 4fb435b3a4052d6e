import type { Actor } from './actor';
import { ForbiddenError } from './errors';

/**
 * No escalation: a caller may only hand out what it holds, and may only change users and roles
 * that hold no more than it does. Otherwise anyone allowed to edit users or roles could make
 * itself (or an accomplice) an all-branch administrator. Pure rules; the use cases apply them.
 */

/** A branch scope: explicit branch ids, or null for every branch. */
export type Scope = readonly string[] | null;

/** What a caller or a user holds: permission ids and a branch scope. */
export interface Grants {
  permissions: readonly string[];
  scope: Scope;
}

/** The caller's grants are its verified token's; the `branches` claim `["*"]` means every branch. */
export const grantsOf = (actor: Actor): Grants => ({
  permissions: actor.permissions,
  scope: actor.branches.includes('*') ? null : actor.branches,
});

export function permissionsWithin(wanted: readonly string[], held: readonly string[]): boolean {
  const holds = new Set(held);
  return wanted.every((p) => holds.has(p));
}

/** Every branch (`null`) is within every branch only; explicit ids compare as sets. */
export function scopeWithin(wanted: Scope, held: Scope): boolean {
  if (held === null) return true;
  if (wanted === null) return false;
  const holds = new Set(held);
  return wanted.every((b) => holds.has(b));
}

/** Whether the caller holds everything `target` holds, so may change it. */
export const withinReach = (target: Grants, caller: Grants): boolean =>
  permissionsWithin(target.permissions, caller.permissions) && scopeWithin(target.scope, caller.scope);

/**
 * Why the caller may not make a user change, or undefined when it may. `target` is the user
 * as it is (absent on create); `permissions` are those of the role to assign and `scope` the
 * branch ids to set (each absent when the change leaves it as it is).
 */
export function userChangeRefusal(
  caller: Grants,
  change: { target?: Grants; permissions?: readonly string[]; scope?: Scope },
): string | undefined {
  if (change.target && !withinReach(change.target, caller)) {
    return 'This user holds permissions or branches that you do not hold';
  }
  if (change.permissions && !permissionsWithin(change.permissions, caller.permissions)) {
    return 'This role grants permissions that you do not hold';
  }
  if (change.scope !== undefined && !scopeWithin(change.scope, caller.scope)) {
    return change.scope === null
      ? 'Only a user with every branch can grant every branch'
      : 'You can only grant branches within your own branch scope';
  }
  return undefined;
}

/**
 * Why the caller may not make a role change, or undefined when it may. `current` are the
 * role's permissions as they are (absent on create), `permissions` the ones it is to get.
 */
export function roleChangeRefusal(
  caller: readonly string[],
  change: { current?: readonly string[]; permissions?: readonly string[] },
): string | undefined {
  if (change.current && !permissionsWithin(change.current, caller)) {
    return 'This role grants permissions that you do not hold';
  }
  if (change.permissions && !permissionsWithin(change.permissions, caller)) {
    return 'You can only grant permissions that you hold';
  }
  return undefined;
}

/** 403 `…/problems/escalation` when there is a refusal: after the 404 checks, before state checks. */
export function refuseEscalation(refusal: string | undefined): void {
  if (refusal !== undefined) throw new ForbiddenError(refusal, 'escalation');
}
