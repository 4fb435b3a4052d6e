import type { Actor } from '#core/domain/actor';
import { ConflictError } from '#core/domain/errors';
import { hashPassword } from '#core/domain/password';
import { applyUserPatch, publicUser, type User, type UserPatch } from '#core/domain/user';
import type { UserStore } from '#core/ports/users';
import type { RoleReader } from './role-rules';
import {
  assertBranchesExist,
  changeUserInReach,
  customRoleId,
  roleToAssign,
  unknownRole,
} from './user-rules';

export interface UserChanges extends Omit<UserPatch, 'passwordHash'> {
  password?: string;
}

/** Applied to the user as stored, written only if nobody wrote in between (version check). */
export async function updateUser(
  deps: { users: UserStore; roles: RoleReader },
  actor: Actor,
  userId: string,
  changes: UserChanges,
  now: Date,
): Promise<User> {
  await assertBranchesExist(deps.users, actor.tenantId, changes.branchIds);
  const role =
    changes.roleId === undefined ? undefined : await roleToAssign(deps.roles, actor.tenantId, changes.roleId);
  const { password, ...patch } = changes;
  let passwordHash: string | undefined;
  const granted = { permissions: role?.permissions, scope: changes.branchIds };
  return changeUserInReach(deps, actor, userId, granted, async (current) => {
    if (changes.active === false && userId === actor.userId) {
      throw new ConflictError('cannot-deactivate-self', 'You cannot deactivate yourself');
    }
    if (password !== undefined) passwordHash ??= await hashPassword(password);
    const next = applyUserPatch(current, { ...patch, passwordHash }, now);
    const outcome = await deps.users.update(next, current.version, customRoleId(changes.roleId));
    if (outcome === 'role-missing') throw unknownRole();
    return outcome === 'updated' ? publicUser(next) : undefined;
  });
}
