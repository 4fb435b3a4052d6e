import { meRoute } from '#core/contract/routes/identity/me';
import { getUser } from '#core/usecases/identity/get-user';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';

export const handler = endpoint(meRoute, async (req) => ({
  status: 200,
  body: await getUser(userContext(req), { userId: req.actor.userId }),
}));
