import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { listUsers } from '#core/usecases/identity/list-users';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  identityRoutes.listUsers,
  async ({ actor, query }) => ({
    status: 200,
    body: await listUsers({ users: dynamoUserStore }, actor.tenantId, query),
  }),
  { cursors: cursorSeal },
);
