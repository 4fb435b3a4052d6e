import type { Actor } from '../../domain/actor';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { UserStore } from '../../ports/users';

/** Soft delete: the user stops being listed, loses its sessions and frees its username. */
export async function deleteUser(deps: { users: UserStore }, actor: Actor, userId: string, now: Date) {
  const user = await deps.users.get(actor.tenantId, userId);
  if (!user) throw new NotFoundError('User');
  if (user.id === actor.userId) throw new ConflictError('cannot-delete-self', 'You cannot delete yourself');
  if ((await deps.users.softDelete(user, now)) === 'gone') throw new NotFoundError('User');
}
