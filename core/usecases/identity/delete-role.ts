import { refuseEscalation, roleChangeRefusal } from '#core/domain/access';
import { ConflictError, NotFoundError } from '#core/domain/errors';
import type { RoleContext } from './context';
import { assertNotBuiltIn, findRole } from './role-rules';

/** Only a role the caller holds all of may go, as for an update: nobody undoes grants it could not make. */
export async function deleteRole(ctx: RoleContext, { roleId }: { roleId: string }): Promise<void> {
  const { actor } = ctx;
  const role = await findRole(ctx.roles, actor.tenantId, roleId);
  if (!role) throw new NotFoundError('Role');
  refuseEscalation(roleChangeRefusal(actor.permissions, { current: role.permissions }));
  assertNotBuiltIn(roleId);
  if (await ctx.roles.inUse(actor.tenantId, roleId)) {
    throw new ConflictError('role-in-use', 'Active users have this role; reassign them first');
  }
  if (!(await ctx.roles.delete(actor.tenantId, roleId))) throw new NotFoundError('Role');
}
