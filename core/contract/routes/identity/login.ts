import { route } from '#core/contract/define';
import { loginBody } from '#core/contract/schemas/requests/identity';
import { invalid, problem } from './problems';

export const loginRoute = route({
  method: 'POST',
  path: '/v1/auth/login',
  function: 'login',
  summary: 'Log in with tenant slug, username and password',
  tag: 'Identity',
  auth: 'none',
  body: loginBody(),
  responses: {
    200: { description: 'Logged in', schema: 'Session' },
    400: invalid(),
    401: problem('Wrong tenant, username or password, or an inactive user'),
    403: problem('The e-mail address of the signup is not verified yet'),
    429: problem('Too many failed attempts', { 'Retry-After': 'Seconds until attempts are allowed again' }),
  },
  deploy: { memoryMb: 1024, signsTokens: true },
});
