import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { meRoute } from '#core/contract/routes/identity/me';
import { getUser } from '#core/usecases/identity/get-user';
import { endpoint } from './commons/auth';

export const handler = endpoint(meRoute, async ({ actor }) => ({
  status: 200,
  body: await getUser({ users: dynamoUserStore }, actor.tenantId, actor.userId),
}));
