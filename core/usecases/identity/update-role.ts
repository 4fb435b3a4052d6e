import { NotFoundError } from '../../domain/errors';
import type { Permission, Role } from '../../domain/permissions';
import type { RoleStore } from '../../ports/roles';
import { assertNotBuiltIn, catalogOrder } from './role-rules';

/** A change of permissions ends the role's earlier access tokens within 60 s (the role store revokes them). */
export async function updateRole(
  deps: { roles: RoleStore },
  tenantId: string,
  roleId: string,
  changes: { name?: string; permissions?: Permission[] },
  now: Date,
): Promise<Role> {
  assertNotBuiltIn(roleId);
  const role = await deps.roles.update(tenantId, roleId, {
    name: changes.name,
    permissions: changes.permissions && catalogOrder(changes.permissions),
    updatedAt: now.toISOString(),
  });
  if (!role) throw new NotFoundError('Role');
  return role;
}
