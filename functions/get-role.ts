import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { getRoleRoute } from '#core/contract/routes/identity/get-role';
import { getRole } from '#core/usecases/identity/get-role';
import { endpoint } from './commons/auth';

export const handler = endpoint(getRoleRoute, async ({ actor, params }) => ({
  status: 200,
  body: await getRole({ roles: dynamoRoleStore }, actor.tenantId, params.roleId),
}));
