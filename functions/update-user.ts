import { updateUser } from '#core/usecases/identity/update-user';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';

export const handler = endpoint(identityRoutes.updateUser, async (req) => ({
  status: 200,
  body: await updateUser(userContext(req), { ...req.body, ...req.params }),
}));
