import { route } from '#core/contract/define';
import { roleParams } from '#core/contract/schemas/requests/identity';
import { authenticatedReads, notFound } from './problems';

export const getRoleRoute = route({
  method: 'GET',
  path: '/v1/roles/{roleId}',
  function: 'get-role',
  summary: 'One role',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:read',
  params: roleParams(),
  responses: {
    200: { description: 'The role', schema: 'Role' },
    ...authenticatedReads(),
    404: notFound('Role'),
  },
});
