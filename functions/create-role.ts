import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { createRole } from '#core/usecases/identity/create-role';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';

export const handler = endpoint(identityRoutes.createRole, async ({ actor, body, now }) => ({
  status: 201,
  body: await createRole({ roles: dynamoRoleStore }, actor, body, now),
}));
