import { ulid } from 'ulid';
import { refuseEscalation, roleChangeRefusal } from '#core/domain/access';
import type { Permission, Role } from '#core/domain/permissions';
import type { RoleContext } from './context';
import { catalogOrder } from './role-rules';

export async function createRole(
  ctx: RoleContext,
  input: { name: string; permissions: Permission[] },
): Promise<Role> {
  const { actor, now } = ctx;
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
  await ctx.roles.create(actor.tenantId, role);
  return role;
}
