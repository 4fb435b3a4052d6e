import { listUsers } from '#core/usecases/identity/list-users';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  identityRoutes.listUsers,
  async (req) => ({
    status: 200,
    body: await listUsers(userContext(req), req.query),
  }),
  { cursors: cursorSeal },
);
