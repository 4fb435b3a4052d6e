import { route } from '#core/contract/define';
import { updateUserBody, userParams } from '#core/contract/schemas/requests/identity';
import { authenticatedWrites, notFound, problem } from './problems';

export const updateUserRoute = route({
  method: 'PATCH',
  path: '/v1/users/{userId}',
  function: 'update-user',
  summary: 'Change a user; deactivating it or changing its password ends its sessions',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:update',
  params: userParams(),
  body: updateUserBody(),
  responses: {
    200: { description: 'Updated', schema: 'User' },
    ...authenticatedWrites(),
    404: notFound('User'),
    409: problem('You cannot deactivate yourself'),
  },
  deploy: { memoryMb: 1024 },
});
