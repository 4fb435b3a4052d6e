import { deleteUserRoute } from '#core/contract/routes/identity/delete-user';
import { deleteUser } from '#core/usecases/identity/delete-user';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';

export const handler = endpoint(deleteUserRoute, async (req) => {
  await deleteUser(userContext(req), req.params);
  return { status: 204 };
});
