import { createUser } from '#core/usecases/identity/create-user';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';

export const handler = endpoint(identityRoutes.createUser, async (req) => ({
  status: 201,
  body: await createUser(userContext(req), req.body),
}));
