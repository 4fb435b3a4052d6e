import { route } from '#core/contract/define';
import { pageQuery } from '#core/contract/schemas/common';
import { authenticatedReads } from './problems';

export const listRolesRoute = route({
  method: 'GET',
  path: '/v1/roles',
  function: 'list-roles',
  summary: 'Built-in and custom roles',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:read',
  query: pageQuery(),
  paginated: true,
  responses: {
    200: { description: 'A page of roles', schema: 'RolePage' },
    ...authenticatedReads(),
  },
});
