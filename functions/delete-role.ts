import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { deleteRoleRoute } from '#core/contract/routes/identity/delete-role';
import { deleteRole } from '#core/usecases/identity/delete-role';
import { endpoint } from './commons/auth';

export const handler = endpoint(deleteRoleRoute, async ({ actor, params }) => {
  await deleteRole({ roles: dynamoRoleStore }, actor, params.roleId);
  return { status: 204 };
});
