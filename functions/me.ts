import { getUser } from '#core/usecases/identity/get-user';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';

export const handler = endpoint(identityRoutes.me, async (req) => ({
  status: 200,
  body: await getUser(userContext(req), { userId: req.actor.userId }),
}));
