import { NotFoundError } from '#core/domain/errors';
import { builtInRole, type Role } from '#core/domain/permissions';
import type { RoleContext } from './context';

export async function getRole(ctx: RoleContext, { roleId }: { roleId: string }): Promise<Role> {
  const role = builtInRole(roleId) ?? (await ctx.roles.get(ctx.actor.tenantId, roleId));
  if (!role) throw new NotFoundError('Role');
  return role;
}
