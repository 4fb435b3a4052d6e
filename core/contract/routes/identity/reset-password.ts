import { route } from '#core/contract/define';
import { resetPasswordBody } from '#core/contract/schemas/requests/identity';
import { problem, tooMany } from './problems';

export const resetPasswordRoute = route({
  method: 'POST',
  path: '/v1/auth/reset-password',
  function: 'reset-password',
  summary: 'Set a new password with the token of a reset link; every session of the user ends',
  tag: 'Identity',
  auth: 'none',
  // Per client address; the per-account budgets are counted by the use case, as for forgot-password.
  rateLimits: [{ per: 'ip', limit: 10, windowSeconds: 60 }],
  body: resetPasswordBody(),
  responses: {
    204: { description: 'The password is changed' },
    400: problem('Invalid password, or an invalid, expired or used token'),
    429: tooMany('Too many requests from this address, or for this account'),
  },
  deploy: { memoryMb: 1024 },
});
