import { route } from '#core/contract/define';
import { userParams } from '#core/contract/schemas/requests/identity';
import { authenticatedWrites, notFound, problem } from './problems';

export const deleteUserRoute = route({
  method: 'DELETE',
  path: '/v1/users/{userId}',
  function: 'delete-user',
  summary: 'Delete a user (soft): it ends its sessions and frees its username',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:delete',
  params: userParams(),
  responses: {
    204: { description: 'Deleted' },
    ...authenticatedWrites(),
    404: notFound('User'),
    409: problem('You cannot delete yourself'),
  },
});
