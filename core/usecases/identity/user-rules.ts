import { type Grants, grantsOf, refuseEscalation, type Scope, userChangeRefusal } from '#core/domain/access';
import { ConflictError, NotFoundError, ValidationError } from '#core/domain/errors';
import { builtInRole, type Role } from '#core/domain/permissions';
import type { UserRecord } from '#core/domain/user';
import type { RoleStore } from '#core/ports/roles';
import type { UserStore } from '#core/ports/users';
import type { IdentityContext } from './context';
import { findRole } from './role-rules';

/** The custom role a write must find still existing; built-in roles always exist. */
export const customRoleId = (roleId: string | undefined) =>
  roleId === undefined || builtInRole(roleId) ? undefined : roleId;

export const unknownRole = () =>
  new ValidationError('Unknown role', [{ path: 'body.roleId', message: 'No such role' }]);

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

const ATTEMPTS = 5;

/**
 * Read, check, write if nobody wrote in between; otherwise read and check again, as the user may
 * have been moved out of the caller's reach meanwhile. `write` gets the user as stored and within
 * the caller's reach (404 when there is none, 403 escalation when out of reach, or when `change`
 * hands out more than the caller holds) and answers undefined when its conditional write lost.
 */
export async function changeUserInReach<T>(
  ctx: IdentityContext,
  userId: string,
  change: { permissions?: readonly string[]; scope?: Scope },
  write: (user: UserRecord) => Promise<T | undefined>,
): Promise<T> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const user = await ctx.users.get(ctx.actor.tenantId, userId);
    if (!user) throw new NotFoundError('User');
    const target = await grantsOfUser(ctx.roles, user);
    refuseEscalation(userChangeRefusal(grantsOf(ctx.actor), { ...change, target }));
    const done = await write(user);
    if (done !== undefined) return done;
  }
  throw new ConflictError('concurrent-update', 'The user is being changed by someone else, retry');
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
