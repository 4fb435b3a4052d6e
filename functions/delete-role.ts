import { deleteRole } from '#core/usecases/identity/delete-role';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';

export const handler = endpoint(identityRoutes.deleteRole, async (req) => {
  await deleteRole(roleContext(req), req.params);
  return { status: 204 };
});
