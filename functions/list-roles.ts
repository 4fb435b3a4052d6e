import { listRolesRoute } from '#core/contract/routes/identity/list-roles';
import { listRoles } from '#core/usecases/identity/list-roles';
import { endpoint } from './commons/auth';
import { roleContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listRolesRoute,
  async (req) => ({
    status: 200,
    body: await listRoles(roleContext(req), req.query),
  }),
  { cursors: cursorSeal },
);
