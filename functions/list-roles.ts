import { listRoles } from '#core/usecases/identity/list-roles';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  identityRoutes.listRoles,
  async (req) => ({
    status: 200,
    body: await listRoles(roleContext(req), req.query),
  }),
  { cursors: cursorSeal },
);
