import { ConflictError, NotFoundError } from '../../domain/errors';
import type { RoleStore } from '../../ports/roles';
import { assertNotBuiltIn } from './role-rules';

export async function deleteRole(
  deps: { roles: RoleStore },
  tenantId: string,
  roleId: string,
): Promise<void> {
  assertNotBuiltIn(roleId);
  if (!(await deps.roles.get(tenantId, roleId))) throw new NotFoundError('Role');
  if (await deps.roles.inUse(tenantId, roleId)) {
    throw new ConflictError('role-in-use', 'Active users have this role; reassign them first');
  }
  if (!(await deps.roles.delete(tenantId, roleId))) throw new NotFoundError('Role');
}
