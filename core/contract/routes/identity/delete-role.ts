import { route } from '#core/contract/define';
import { roleParams } from '#core/contract/schemas/requests/identity';
import { authenticatedWrites, notFound, problem } from './problems';

export const deleteRoleRoute = route({
  method: 'DELETE',
  path: '/v1/roles/{roleId}',
  function: 'delete-role',
  summary: 'Delete a custom role no active user has',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:delete',
  params: roleParams(),
  responses: {
    204: { description: 'Deleted' },
    ...authenticatedWrites(),
    404: notFound('Role'),
    409: problem('Built-in role, or active users have it'),
  },
});
