import { grantsOf, refuseEscalation, userChangeRefusal } from '../../domain/access';
import type { Actor } from '../../domain/actor';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { RoleStore } from '../../ports/roles';
import type { UserStore } from '../../ports/users';
import { concurrentUpdate, grantsOfUser } from './user-rules';

const ATTEMPTS = 5;

/**
 * Soft delete: the user stops being listed, loses its sessions and frees its username. Only
 * the version that was checked is deleted; a user changed meanwhile is read and checked again.
 */
export async function deleteUser(
  deps: { users: UserStore; roles: RoleStore },
  actor: Actor,
  userId: string,
  now: Date,
): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const user = await deps.users.get(actor.tenantId, userId);
    if (!user) throw new NotFoundError('User');
    refuseEscalation(userChangeRefusal(grantsOf(actor), { target: await grantsOfUser(deps.roles, user) }));
    if (user.id === actor.userId) throw new ConflictError('cannot-delete-self', 'You cannot delete yourself');
    if ((await deps.users.softDelete(user, now)) === 'deleted') return;
  }
  throw concurrentUpdate();
}
