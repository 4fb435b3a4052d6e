import { getCustomRole } from '#core/adapters/dynamo/role-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { createUser } from '#core/usecases/identity/create-user';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';

export const handler = endpoint(identityRoutes.createUser, async ({ actor, body, now }) => ({
  status: 201,
  body: await createUser({ users: dynamoUserStore, roles: { get: getCustomRole } }, actor, body, now),
}));
