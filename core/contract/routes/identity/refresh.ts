import { route } from '#core/contract/define';
import { refreshTokenBody } from '#core/contract/schemas/requests/identity';
import { invalid, problem } from './problems';

export const refreshRoute = route({
  method: 'POST',
  path: '/v1/auth/refresh',
  function: 'refresh',
  summary: 'Exchange a refresh token for new tokens (single use)',
  tag: 'Identity',
  auth: 'none',
  body: refreshTokenBody(),
  responses: {
    200: { description: 'New tokens', schema: 'Session' },
    400: invalid(),
    401: problem('Invalid, expired, revoked or reused refresh token'),
  },
  deploy: { signsTokens: true },
});
