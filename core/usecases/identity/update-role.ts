import { refuseEscalation, roleChangeRefusal } from '#core/domain/access';
import { NotFoundError } from '#core/domain/errors';
import type { Permission, Role } from '#core/domain/permissions';
import type { RoleContext } from './context';
import { assertNotBuiltIn, catalogOrder, findRole } from './role-rules';

/**
 * Only a role the caller holds all of may change, and only to permissions the caller holds.
 * A change of permissions ends the role's earlier access tokens within 60 s (the role store
 * revokes them).
 */
export async function updateRole(
  ctx: RoleContext,
  { roleId, ...changes }: { roleId: string; name?: string; permissions?: Permission[] },
): Promise<Role> {
  const { actor, now } = ctx;
  const current = await findRole(ctx.roles, actor.tenantId, roleId);
  if (!current) throw new NotFoundError('Role');
  refuseEscalation(
    roleChangeRefusal(actor.permissions, { current: current.permissions, permissions: changes.permissions }),
  );
  assertNotBuiltIn(roleId);
  const role = await ctx.roles.update(actor.tenantId, roleId, {
    name: changes.name,
    permissions: changes.permissions && catalogOrder(changes.permissions),
    updatedAt: now.toISOString(),
  });
  if (!role) throw new NotFoundError('Role');
  return role;
}
