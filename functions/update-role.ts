import { updateRoleRoute } from '#core/contract/routes/identity/update-role';
import { updateRole } from '#core/usecases/identity/update-role';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';

export const handler = endpoint(updateRoleRoute, async (req) => ({
  status: 200,
  body: await updateRole(roleContext(req), { ...req.body, ...req.params }),
}));
