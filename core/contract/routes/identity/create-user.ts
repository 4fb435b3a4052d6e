import { route } from '#core/contract/define';
import { createUserBody } from '#core/contract/schemas/requests/identity';
import { authenticatedWrites, problem } from './problems';

export const createUserRoute = route({
  method: 'POST',
  path: '/v1/users',
  function: 'create-user',
  summary: 'Create a user',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:create',
  body: createUserBody(),
  responses: {
    201: { description: 'Created', schema: 'User' },
    ...authenticatedWrites(),
    409: problem('The username is taken'),
  },
  deploy: { memoryMb: 1024 },
});
