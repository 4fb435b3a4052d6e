import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { listUsersRoute } from '#core/contract/routes/identity/list-users';
import { listUsers } from '#core/usecases/identity/list-users';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listUsersRoute,
  async ({ actor, query }) => ({
    status: 200,
    body: await listUsers({ users: dynamoUserStore }, actor.tenantId, query),
  }),
  { cursors: cursorSeal },
);
