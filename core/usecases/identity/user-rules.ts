import type { Grants } from '../../domain/access';
import { ConflictError, ValidationError } from '../../domain/errors';
import { builtInRole, type Role } from '../../domain/permissions';
import type { UserRecord } from '../../domain/user';
import type { RoleStore } from '../../ports/roles';
import type { UserStore } from '../../ports/users';
import { findRole } from './role-rules';

/** The custom role a write must find still existing; built-in roles always exist. */
export const customRoleId = (roleId: string | undefined) =>
  roleId === undefined || builtInRole(roleId) ? undefined : roleId;

export const unknownRole = () =>
  new ValidationError('Unknown role', [{ path: 'body.roleId', message: 'No such role' }]);

/** A read-check-write of a user that kept losing to other writers. */
export const concurrentUpdate = () =>
  new ConflictError('concurrent-update', 'The user is being changed by someone else, retry');

/** The role a user is to get: it must exist in the caller's tenant (400 otherwise). */
export async function roleToAssign(roles: RoleStore, tenantId: string, roleId: string): Promise<Role> {
  const role = await findRole(roles, tenantId, roleId);
  if (!role) throw unknownRole();
  return role;
}

/**
 * What a stored user holds. A custom role deleted under the user (a narrow race with its last
 * user's reassignment) grants nothing, as at login.
 */
export async function grantsOfUser(roles: RoleStore, user: UserRecord): Promise<Grants> {
  const role = await findRole(roles, user.tenantId, user.roleId);
  return { permissions: role?.permissions ?? [], scope: user.branchIds };
}

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
