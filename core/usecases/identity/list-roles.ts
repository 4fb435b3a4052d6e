import { BUILT_IN_ROLES, type Role } from '#core/domain/permissions';
import type { RoleStore } from '#core/ports/roles';

/** Built-in roles first, then custom roles in creation order (their ULIDs). */
export const roleOrderKey = (role: Role) => `${role.builtIn ? 0 : 1}${role.id}`;

export async function listRoles(deps: { roles: RoleStore }, tenantId: string): Promise<Role[]> {
  const roles = [...BUILT_IN_ROLES, ...(await deps.roles.list(tenantId))];
  return roles.sort((a, b) => roleOrderKey(a).localeCompare(roleOrderKey(b)));
}
