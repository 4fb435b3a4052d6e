import { getCustomRole } from '#core/adapters/dynamo/role-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { updateUserRoute } from '#core/contract/routes/identity/update-user';
import { updateUser } from '#core/usecases/identity/update-user';
import { endpoint } from './commons/auth';

export const handler = endpoint(updateUserRoute, async ({ actor, params, body, now }) => ({
  status: 200,
  body: await updateUser(
    { users: dynamoUserStore, roles: { get: getCustomRole } },
    actor,
    params.userId,
    body,
    now,
  ),
}));
