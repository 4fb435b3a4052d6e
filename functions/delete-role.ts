import { deleteRoleRoute } from '#core/contract/routes/identity/delete-role';
import { deleteRole } from '#core/usecases/identity/delete-role';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';

export const handler = endpoint(deleteRoleRoute, async (req) => {
  await deleteRole(roleContext(req), req.params);
  return { status: 204 };
});
