import { route } from '#core/contract/define';
import { forgotPasswordBody } from '#core/contract/schemas/requests/identity';
import { invalid, tooMany } from './problems';

export const forgotPasswordRoute = route({
  method: 'POST',
  path: '/v1/auth/forgot-password',
  function: 'forgot-password',
  summary: 'Ask for a password reset link by mail (the same answer whether the account exists or not)',
  tag: 'Identity',
  auth: 'none',
  // Per client address; the per-account budgets need the body and are counted by the use case
  // (core/domain/password-reset.ts).
  rateLimits: [{ per: 'ip', limit: 5, windowSeconds: 60 }],
  body: forgotPasswordBody(),
  responses: {
    202: {
      description:
        'Accepted. A known, active user with an e-mail address gets a link valid once, for 30 minutes',
      schema: 'ResetRequested',
    },
    400: invalid(),
    429: tooMany('Too many requests from this address, or for this account'),
  },
  deploy: { sendsMail: true },
});
