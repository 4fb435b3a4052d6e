import { publicUser, type User } from '#core/domain/user';
import type { Page, UserStore } from '#core/ports/users';

export async function listUsers(
  deps: { users: UserStore },
  tenantId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<User>> {
  const { items, nextCursor } = await deps.users.list(tenantId, page.limit, page.cursor);
  return { items: items.map(publicUser), nextCursor };
}
