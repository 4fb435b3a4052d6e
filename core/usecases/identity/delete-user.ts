import type { Actor } from '#core/domain/actor';
import { ConflictError } from '#core/domain/errors';
import type { UserStore } from '#core/ports/users';
import type { RoleReader } from './role-rules';
import { changeUserInReach } from './user-rules';

/**
 * Soft delete: the user stops being listed, loses its sessions and frees its username. Only
 * the version that was checked is deleted.
 */
export async function deleteUser(
  deps: { users: UserStore; roles: RoleReader },
  actor: Actor,
  userId: string,
  now: Date,
): Promise<void> {
  await changeUserInReach(deps, actor, userId, {}, async (user) => {
    if (user.id === actor.userId) throw new ConflictError('cannot-delete-self', 'You cannot delete yourself');
    // 'gone': deleted meanwhile (the next read answers 404) or changed since (checked again).
    return (await deps.users.softDelete(user, now)) === 'deleted' ? true : undefined;
  });
}
