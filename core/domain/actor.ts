import { ForbiddenError } from './errors';

/** Who is calling, as proven by a verified access token. Tenant id comes from here, never from input. */
export interface Actor {
  tenantId: string;
  userId: string;
  roleId: string;
  permissions: readonly string[];
  /** Branch ids the actor may work in, or `["*"]`. */
  branches: readonly string[];
}

/** `branches` is a token claim: explicit branch ids, or `["*"]` for every branch. */
export function canAccessBranch(branches: readonly string[], branchId: string): boolean {
  return branches.includes('*') || branches.includes(branchId);
}

/**
 * The branch-scope check (docs/rules.md#order-of-checks): after the 404 check, before state
 * checks.
 */
export function assertBranchScope(actor: Actor, branchId: string): void {
  if (!canAccessBranch(actor.branches, branchId)) {
    throw new ForbiddenError('This branch is outside your branch scope', 'branch-scope');
  }
}
