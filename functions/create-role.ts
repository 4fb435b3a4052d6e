import { createRole } from '#core/usecases/identity/create-role';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';

export const handler = endpoint(identityRoutes.createRole, async (req) => ({
  status: 201,
  body: await createRole(roleContext(req), req.body),
}));
