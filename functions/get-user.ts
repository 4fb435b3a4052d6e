import { getUserRoute } from '#core/contract/routes/identity/get-user';
import { getUser } from '#core/usecases/identity/get-user';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';

export const handler = endpoint(getUserRoute, async (req) => ({
  status: 200,
  body: await getUser(userContext(req), req.params),
}));
