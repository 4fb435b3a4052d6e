import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { getRole } from '#core/usecases/identity/get-role';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';

export const handler = endpoint(identityRoutes.getRole, async ({ actor, params }) => ({
  status: 200,
  body: await getRole({ roles: dynamoRoleStore }, actor.tenantId, params.roleId),
}));
