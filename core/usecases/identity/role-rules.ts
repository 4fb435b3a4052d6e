import { ConflictError } from '#core/domain/errors';
import { builtInRole, PERMISSION_IDS, type Permission, type Role } from '#core/domain/permissions';
import type { RoleStore } from '#core/ports/roles';

/** Permissions without repeats, in catalog order. */
export function catalogOrder(permissions: readonly Permission[]): Permission[] {
  const wanted = new Set(permissions);
  return PERMISSION_IDS.filter((p) => wanted.has(p));
}

export function assertNotBuiltIn(roleId: string): void {
  if (builtInRole(roleId)) {
    throw new ConflictError('built-in-role', 'Built-in roles cannot be changed or deleted');
  }
}

/** A built-in role (code) or a custom role of the tenant (the store). */
export async function findRole(
  roles: Pick<RoleStore, 'get'>,
  tenantId: string,
  roleId: string,
): Promise<Role | undefined> {
  return builtInRole(roleId) ?? (await roles.get(tenantId, roleId));
}
