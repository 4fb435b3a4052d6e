import { listUsersRoute } from '#core/contract/routes/identity/list-users';
import { listUsers } from '#core/usecases/identity/list-users';
import { endpoint } from './commons/auth';
import { userContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listUsersRoute,
  async (req) => ({
    status: 200,
    body: await listUsers(userContext(req), req.query),
  }),
  { cursors: cursorSeal },
);
