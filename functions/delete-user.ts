import { getCustomRole } from '#core/adapters/dynamo/role-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { deleteUser } from '#core/usecases/identity/delete-user';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';

export const handler = endpoint(identityRoutes.deleteUser, async ({ actor, params, now }) => {
  await deleteUser({ users: dynamoUserStore, roles: { get: getCustomRole } }, actor, params.userId, now);
  return { status: 204 };
});
