import { deleteUser } from '#core/usecases/identity/delete-user';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';

export const handler = endpoint(identityRoutes.deleteUser, async (req) => {
  await deleteUser(userContext(req), req.params);
  return { status: 204 };
});
