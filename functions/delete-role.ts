import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { deleteRole } from '#core/usecases/identity/delete-role';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';

export const handler = endpoint(identityRoutes.deleteRole, async ({ actor, params }) => {
  await deleteRole({ roles: dynamoRoleStore }, actor, params.roleId);
  return { status: 204 };
});
