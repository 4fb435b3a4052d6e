import { route } from '#core/contract/define';
import { createRoleBody } from '#core/contract/schemas/requests/identity';
import { authenticatedWrites } from './problems';

export const createRoleRoute = route({
  method: 'POST',
  path: '/v1/roles',
  function: 'create-role',
  summary: 'Create a custom role',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:create',
  body: createRoleBody(),
  responses: { 201: { description: 'Created', schema: 'Role' }, ...authenticatedWrites() },
});
