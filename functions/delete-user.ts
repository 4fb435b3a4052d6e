import { getCustomRole } from '#core/adapters/dynamo/role-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { deleteUserRoute } from '#core/contract/routes/identity/delete-user';
import { deleteUser } from '#core/usecases/identity/delete-user';
import { endpoint } from './commons/auth';

export const handler = endpoint(deleteUserRoute, async ({ actor, params, now }) => {
  await deleteUser({ users: dynamoUserStore, roles: { get: getCustomRole } }, actor, params.userId, now);
  return { status: 204 };
});
