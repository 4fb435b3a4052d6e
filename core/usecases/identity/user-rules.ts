import { ValidationError } from '../../domain/errors';
import { builtInRole } from '../../domain/permissions';
import type { UserStore } from '../../ports/users';

/** The custom role a write must find still existing; built-in roles always exist. */
export const customRoleId = (roleId: string | undefined) =>
  roleId === undefined || builtInRole(roleId) ? undefined : roleId;

export const unknownRole = () =>
  new ValidationError('Unknown role', [{ path: 'body.roleId', message: 'No such role' }]);

/**
 * Branch ids must name live branches of the caller's tenant: a typo (or another tenant's id)
 * would otherwise silently lock the user out of the branch it was meant for.
 */
export async function assertBranchesExist(
  users: UserStore,
  tenantId: string,
  branchIds: readonly string[] | null | undefined,
): Promise<void> {
  if (!branchIds) return;
  const unknown = await users.unknownBranches(tenantId, branchIds);
  if (unknown.length > 0) {
    throw new ValidationError(
      'Unknown branch ids',
      unknown.map((id) => ({ path: `body.branchIds.${branchIds.indexOf(id)}`, message: 'No such branch' })),
    );
  }
}
