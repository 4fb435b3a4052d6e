import { route } from '#core/contract/define';
import { pageQuery } from '#core/contract/schemas/common';
import { authenticatedReads } from './problems';

export const listUsersRoute = route({
  method: 'GET',
  path: '/v1/users',
  function: 'list-users',
  summary: 'Users of the tenant (deleted ones are not listed)',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:read',
  query: pageQuery(),
  paginated: true,
  responses: {
    200: { description: 'A page of users', schema: 'UserPage' },
    ...authenticatedReads(),
  },
});
