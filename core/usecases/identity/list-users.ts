import { publicUser, type User } from '#core/domain/user';
import type { Page, PageRequest } from '#core/ports/page';
import type { IdentityContext } from './context';

export async function listUsers(ctx: IdentityContext, page: PageRequest): Promise<Page<User>> {
  const { items, nextCursor } = await ctx.users.list(ctx.actor.tenantId, page);
  return { items: items.map(publicUser), nextCursor };
}
