import { route } from '#core/contract/define';
import { unauthenticated } from './problems';

export const listPermissionsRoute = route({
  method: 'GET',
  path: '/v1/permissions',
  function: 'list-permissions',
  summary: 'The permission catalog',
  tag: 'Roles',
  auth: 'bearer',
  responses: {
    200: { description: 'Every permission', schema: 'PermissionCatalog' },
    401: unauthenticated(),
  },
});
