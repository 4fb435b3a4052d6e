import { updateUserRoute } from '#core/contract/routes/identity/update-user';
import { updateUser } from '#core/usecases/identity/update-user';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';

export const handler = endpoint(updateUserRoute, async (req) => ({
  status: 200,
  body: await updateUser(userContext(req), { ...req.body, ...req.params }),
}));
