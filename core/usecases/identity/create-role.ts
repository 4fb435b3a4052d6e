import { ulid } from 'ulid';
import { refuseEscalation, roleChangeRefusal } from '#core/domain/access';
import type { Actor } from '#core/domain/actor';
import type { Permission, Role } from '#core/domain/permissions';
import type { RoleStore } from '#core/ports/roles';
import { catalogOrder } from './role-rules';

export async function createRole(
  deps: { roles: RoleStore },
  actor: Actor,
  input: { name: string; permissions: Permission[] },
  now: Date,
): Promise<Role> {
  refuseEscalation(roleChangeRefusal(actor.permissions, { permissions: input.permissions }));
  const at = now.toISOString();
  const role: Role = {
    id: ulid(),
    name: input.name,
    permissions: catalogOrder(input.permissions),
    builtIn: false,
    createdAt: at,
    updatedAt: at,
  };
  await deps.roles.create(actor.tenantId, role);
  return role;
}
