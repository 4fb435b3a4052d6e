import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { createRoleRoute } from '#core/contract/routes/identity/create-role';
import { createRole } from '#core/usecases/identity/create-role';
import { endpoint } from './commons/auth';

export const handler = endpoint(createRoleRoute, async ({ actor, body, now }) => ({
  status: 201,
  body: await createRole({ roles: dynamoRoleStore }, actor, body, now),
}));
