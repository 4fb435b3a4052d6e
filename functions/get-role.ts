import { getRoleRoute } from '#core/contract/routes/identity/get-role';
import { getRole } from '#core/usecases/identity/get-role';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';

export const handler = endpoint(getRoleRoute, async (req) => ({
  status: 200,
  body: await getRole(roleContext(req), req.params),
}));
