import { ulid } from 'ulid';
import type { Permission, Role } from '../../domain/permissions';
import type { RoleStore } from '../../ports/roles';
import { catalogOrder } from './role-rules';

export async function createRole(
  deps: { roles: RoleStore },
  tenantId: string,
  input: { name: string; permissions: Permission[] },
  now: Date,
): Promise<Role> {
  const at = now.toISOString();
  const role: Role = {
    id: ulid(),
    name: input.name,
    permissions: catalogOrder(input.permissions),
    builtIn: false,
    createdAt: at,
    updatedAt: at,
  };
  await deps.roles.create(tenantId, role);
  return role;
}
