import { route } from '#core/contract/define';
import { signupBody } from '#core/contract/schemas/requests/identity';
import { invalid, problem, tooMany } from './problems';

export const signupRoute = route({
  method: 'POST',
  path: '/v1/signup',
  function: 'signup',
  summary: 'Create an organization and its admin; a verification mail goes to the admin',
  tag: 'Identity',
  auth: 'none',
  // Per client address, and for every client together (this sends mail and creates tenants).
  rateLimits: [
    { per: 'ip', limit: 5, windowSeconds: 60 },
    { per: 'global', limit: 100, windowSeconds: 3600 },
  ],
  body: signupBody(),
  responses: {
    201: { description: 'Created, pending e-mail verification (48 h)', schema: 'SignedUp' },
    400: invalid(),
    409: problem('The slug is taken'),
    429: tooMany('Too many signups from this address, or from everyone this hour'),
    503: problem(
      'The verification mail could not be sent (nothing of the signup is kept: the same signup may be ' +
        'retried), or storage is busy or unreachable',
      { 'Retry-After': 'Seconds after which to retry' },
    ),
  },
  deploy: { memoryMb: 1024, sendsMail: true },
});
