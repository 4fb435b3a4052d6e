import { getCustomRole } from '#core/adapters/dynamo/role-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { createUserRoute } from '#core/contract/routes/identity/create-user';
import { createUser } from '#core/usecases/identity/create-user';
import { endpoint } from './commons/auth';

export const handler = endpoint(createUserRoute, async ({ actor, body, now }) => ({
  status: 201,
  body: await createUser({ users: dynamoUserStore, roles: { get: getCustomRole } }, actor, body, now),
}));
