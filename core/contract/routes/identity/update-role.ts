import { route } from '#core/contract/define';
import { roleParams, updateRoleBody } from '#core/contract/schemas/requests/identity';
import { authenticatedWrites, notFound, problem } from './problems';

export const updateRoleRoute = route({
  method: 'PATCH',
  path: '/v1/roles/{roleId}',
  function: 'update-role',
  summary: 'Rename a custom role or change its permissions',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:update',
  params: roleParams(),
  body: updateRoleBody(),
  responses: {
    200: { description: 'Updated', schema: 'Role' },
    ...authenticatedWrites(),
    404: notFound('Role'),
    409: problem('Built-in roles cannot change'),
  },
});
