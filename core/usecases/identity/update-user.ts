import type { Actor } from '../../domain/actor';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { hashPassword } from '../../domain/password';
import { applyUserPatch, publicUser, type User, type UserPatch } from '../../domain/user';
import type { UserStore } from '../../ports/users';
import { assertBranchesExist, customRoleId, unknownRole } from './user-rules';

export interface UserChanges extends Omit<UserPatch, 'passwordHash'> {
  password?: string;
}

const ATTEMPTS = 5;

/** Read, apply, write if nobody wrote in between (version check); re-read and retry otherwise. */
export async function updateUser(
  deps: { users: UserStore },
  actor: Actor,
  userId: string,
  changes: UserChanges,
  now: Date,
): Promise<User> {
  const load = async () => {
    const user = await deps.users.get(actor.tenantId, userId);
    if (!user) throw new NotFoundError('User');
    return user;
  };
  let current = await load();
  if (changes.active === false && userId === actor.userId) {
    throw new ConflictError('cannot-deactivate-self', 'You cannot deactivate yourself');
  }
  await assertBranchesExist(deps.users, actor.tenantId, changes.branchIds);
  const { password, ...patch } = changes;
  const passwordHash = password === undefined ? undefined : await hashPassword(password);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const next = applyUserPatch(current, { ...patch, passwordHash }, now);
    const outcome = await deps.users.update(next, current.version, customRoleId(changes.roleId));
    if (outcome === 'updated') return publicUser(next);
    if (outcome === 'role-missing') throw unknownRole();
    current = await load();
  }
  throw new ConflictError('concurrent-update', 'The user is being changed by someone else, retry');
}
