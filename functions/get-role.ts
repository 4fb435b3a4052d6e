import { getRole } from '#core/usecases/identity/get-role';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';

export const handler = endpoint(identityRoutes.getRole, async (req) => ({
  status: 200,
  body: await getRole(roleContext(req), req.params),
}));
