import { route } from '#core/contract/define';
import { notFound, unauthenticated } from './problems';

export const meRoute = route({
  method: 'GET',
  path: '/v1/me',
  function: 'me',
  summary: 'The current user',
  tag: 'Identity',
  auth: 'bearer',
  responses: {
    200: { description: 'The user', schema: 'User' },
    401: unauthenticated(),
    404: notFound('User'),
  },
});
