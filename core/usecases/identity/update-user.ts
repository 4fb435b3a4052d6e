import { grantsOf, refuseEscalation, userChangeRefusal } from '../../domain/access';
import type { Actor } from '../../domain/actor';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { hashPassword } from '../../domain/password';
import { applyUserPatch, publicUser, type User, type UserPatch } from '../../domain/user';
import type { RoleStore } from '../../ports/roles';
import type { UserStore } from '../../ports/users';
import {
  assertBranchesExist,
  concurrentUpdate,
  customRoleId,
  grantsOfUser,
  roleToAssign,
  unknownRole,
} from './user-rules';

export interface UserChanges extends Omit<UserPatch, 'passwordHash'> {
  password?: string;
}

const ATTEMPTS = 5;

/**
 * Read, check, apply, write if nobody wrote in between (version check); otherwise read and
 * check again: the user may have been moved out of the caller's reach meanwhile.
 */
export async function updateUser(
  deps: { users: UserStore; roles: RoleStore },
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
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const current = await deps.users.get(actor.tenantId, userId);
    if (!current) throw new NotFoundError('User');
    refuseEscalation(
      userChangeRefusal(grantsOf(actor), {
        target: await grantsOfUser(deps.roles, current),
        permissions: role?.permissions,
        scope: changes.branchIds,
      }),
    );
    if (changes.active === false && userId === actor.userId) {
      throw new ConflictError('cannot-deactivate-self', 'You cannot deactivate yourself');
    }
    if (password !== undefined) passwordHash ??= await hashPassword(password);
    const next = applyUserPatch(current, { ...patch, passwordHash }, now);
    const outcome = await deps.users.update(next, current.version, customRoleId(changes.roleId));
    if (outcome === 'updated') return publicUser(next);
    if (outcome === 'role-missing') throw unknownRole();
  }
  throw concurrentUpdate();
}
