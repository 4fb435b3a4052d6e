import { NotFoundError } from '#core/domain/errors';
import { publicUser, type User } from '#core/domain/user';
import type { IdentityContext } from './context';

/** A user of the caller's tenant; deleted users and other tenants' ids are 404. */
export async function getUser(ctx: IdentityContext, { userId }: { userId: string }): Promise<User> {
  const user = await ctx.users.get(ctx.actor.tenantId, userId);
  if (!user) throw new NotFoundError('User');
  return publicUser(user);
}
