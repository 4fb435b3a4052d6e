import { refuseEscalation, roleChangeRefusal } from '#core/domain/access';
import type { Actor } from '#core/domain/actor';
import { ConflictError, NotFoundError } from '#core/domain/errors';
import type { RoleStore } from '#core/ports/roles';
import { assertNotBuiltIn, findRole } from './role-rules';

/** Only a role the caller holds all of may go, as for an update: nobody undoes grants it could not make. */
export async function deleteRole(deps: { roles: RoleStore }, actor: Actor, roleId: string): Promise<void> {
  const role = await findRole(deps.roles, actor.tenantId, roleId);
  if (!role) throw new NotFoundError('Role');
  refuseEscalation(roleChangeRefusal(actor.permissions, { current: role.permissions }));
  assertNotBuiltIn(roleId);
  if (await deps.roles.inUse(actor.tenantId, roleId)) {
    throw new ConflictError('role-in-use', 'Active users have this role; reassign them first');
  }
  if (!(await deps.roles.delete(actor.tenantId, roleId))) throw new NotFoundError('Role');
}
