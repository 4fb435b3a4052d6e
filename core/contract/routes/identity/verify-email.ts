import { route } from '#core/contract/define';
import { verifyEmailBody } from '#core/contract/schemas/requests/identity';
import { problem } from './problems';

export const verifyEmailRoute = route({
  method: 'POST',
  path: '/v1/auth/verify-email',
  function: 'verify-email',
  summary: 'Verify the admin e-mail address of a signup',
  tag: 'Identity',
  auth: 'none',
  body: verifyEmailBody(),
  responses: {
    200: { description: 'Verified', schema: 'EmailVerified' },
    400: problem('Invalid, expired or used token'),
  },
});
