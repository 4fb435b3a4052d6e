import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { getUser } from '#core/usecases/identity/get-user';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';

export const handler = endpoint(identityRoutes.getUser, async ({ actor, params }) => ({
  status: 200,
  body: await getUser({ users: dynamoUserStore }, actor.tenantId, params.userId),
}));
