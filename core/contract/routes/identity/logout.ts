import { route } from '#core/contract/define';
import { refreshTokenBody } from '#core/contract/schemas/requests/identity';
import { invalid } from './problems';

export const logoutRoute = route({
  method: 'POST',
  path: '/v1/auth/logout',
  function: 'logout',
  summary: 'End the login a refresh token belongs to',
  tag: 'Identity',
  auth: 'none',
  body: refreshTokenBody(),
  responses: { 204: { description: 'Logged out' }, 400: invalid() },
});
