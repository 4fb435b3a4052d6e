import { createRoleRoute } from '#core/contract/routes/identity/create-role';
import { createRole } from '#core/usecases/identity/create-role';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';

export const handler = endpoint(createRoleRoute, async (req) => ({
  status: 201,
  body: await createRole(roleContext(req), req.body),
}));
