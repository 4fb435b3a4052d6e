import { NotFoundError } from '#core/domain/errors';
import { builtInRole, type Role } from '#core/domain/permissions';
import type { RoleStore } from '#core/ports/roles';

export async function getRole(deps: { roles: RoleStore }, tenantId: string, roleId: string): Promise<Role> {
  const role = builtInRole(roleId) ?? (await deps.roles.get(tenantId, roleId));
  if (!role) throw new NotFoundError('Role');
  return role;
}
