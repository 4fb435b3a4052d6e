import { route } from '#core/contract/define';
import { userParams } from '#core/contract/schemas/requests/identity';
import { authenticatedReads, notFound } from './problems';

export const getUserRoute = route({
  method: 'GET',
  path: '/v1/users/{userId}',
  function: 'get-user',
  summary: 'One user',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:read',
  params: userParams(),
  responses: {
    200: { description: 'The user', schema: 'User' },
    ...authenticatedReads(),
    404: notFound('User'),
  },
});
