import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { updateRole } from '#core/usecases/identity/update-role';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';

export const handler = endpoint(identityRoutes.updateRole, async ({ actor, params, body, now }) => ({
  status: 200,
  body: await updateRole({ roles: dynamoRoleStore }, actor, params.roleId, body, now),
}));
