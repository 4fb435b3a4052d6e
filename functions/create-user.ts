import { createUserRoute } from '#core/contract/routes/identity/create-user';
import { createUser } from '#core/usecases/identity/create-user';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';

export const handler = endpoint(createUserRoute, async (req) => ({
  status: 201,
  body: await createUser(userContext(req), req.body),
}));
