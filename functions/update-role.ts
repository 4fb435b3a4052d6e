import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { updateRoleRoute } from '#core/contract/routes/identity/update-role';
import { updateRole } from '#core/usecases/identity/update-role';
import { endpoint } from './commons/auth';

export const handler = endpoint(updateRoleRoute, async ({ actor, params, body, now }) => ({
  status: 200,
  body: await updateRole({ roles: dynamoRoleStore }, actor, params.roleId, body, now),
}));
