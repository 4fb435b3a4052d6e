import { refuseEscalation, roleChangeRefusal } from '#core/domain/access';
import type { Actor } from '#core/domain/actor';
import { NotFoundError } from '#core/domain/errors';
import type { Permission, Role } from '#core/domain/permissions';
import type { RoleStore } from '#core/ports/roles';
import { assertNotBuiltIn, catalogOrder, findRole } from './role-rules';

/**
 * Only a role the caller holds all of may change, and only to permissions the caller holds.
 * A change of permissions ends the role's earlier access tokens within 60 s (the role store
 * revokes them).
 */
export async function updateRole(
  deps: { roles: RoleStore },
  actor: Actor,
  roleId: string,
  changes: { name?: string; permissions?: Permission[] },
  now: Date,
): Promise<Role> {
  const current = await findRole(deps.roles, actor.tenantId, roleId);
  if (!current) throw new NotFoundError('Role');
  refuseEscalation(
    roleChangeRefusal(actor.permissions, { current: current.permissions, permissions: changes.permissions }),
  );
  assertNotBuiltIn(roleId);
  const role = await deps.roles.update(actor.tenantId, roleId, {
    name: changes.name,
    permissions: changes.permissions && catalogOrder(changes.permissions),
    updatedAt: now.toISOString(),
  });
  if (!role) throw new NotFoundError('Role');
  return role;
}
