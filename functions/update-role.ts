import { updateRole } from '#core/usecases/identity/update-role';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';

export const handler = endpoint(identityRoutes.updateRole, async (req) => ({
  status: 200,
  body: await updateRole(roleContext(req), { ...req.body, ...req.params }),
}));
