import { NotFoundError } from '../../domain/errors';
import { builtInRole, type Role } from '../../domain/permissions';
import type { RoleStore } from '../../ports/roles';

export async function getRole(deps: { roles: RoleStore }, tenantId: string, roleId: string): Promise<Role> {
  const role = builtInRole(roleId) ?? (await deps.roles.get(tenantId, roleId));
  if (!role) throw new NotFoundError('Role');
  return role;
}
