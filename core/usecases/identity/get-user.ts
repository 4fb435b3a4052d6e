import { NotFoundError } from '#core/domain/errors';
import { publicUser, type User } from '#core/domain/user';
import type { UserStore } from '#core/ports/users';

/** A user of the caller's tenant; deleted users and other tenants' ids are 404. */
export async function getUser(deps: { users: UserStore }, tenantId: string, userId: string): Promise<User> {
  const user = await deps.users.get(tenantId, userId);
  if (!user) throw new NotFoundError('User');
  return publicUser(user);
}
