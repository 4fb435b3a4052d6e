import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { getUserRoute } from '#core/contract/routes/identity/get-user';
import { getUser } from '#core/usecases/identity/get-user';
import { endpoint } from './commons/auth';

export const handler = endpoint(getUserRoute, async ({ actor, params }) => ({
  status: 200,
  body: await getUser({ users: dynamoUserStore }, actor.tenantId, params.userId),
}));
