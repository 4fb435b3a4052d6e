import { BUILT_IN_ROLES, type Role } from '#core/domain/permissions';
import type { Page, PageRequest } from '#core/ports/page';
import type { RoleContext } from './context';

/** Built-in and custom roles, in the order the role store lists them. */
export async function listRoles(ctx: RoleContext, page: PageRequest): Promise<Page<Role>> {
  const { tenantId } = ctx.actor;
  return ctx.roles.pageOf(tenantId, [...BUILT_IN_ROLES, ...(await ctx.roles.list(tenantId))], page);
}
