import { route } from '#core/contract/define';
import { publicTokenParams } from '#core/contract/schemas/requests/tickets';
import { PUBLIC_RATE_LIMITS } from './public';

export const publicCancelTicketRoute = route({
  method: 'DELETE',
  path: '/v1/public/tickets/{publicToken}',
  function: 'public-cancel-ticket',
  summary: 'The customer cancels their waiting ticket',
  tag: 'Public',
  auth: 'none',
  params: publicTokenParams(),
  rateLimits: PUBLIC_RATE_LIMITS,
  responses: {
    200: { description: 'The ticket status, now cancelled', schema: 'PublicStatus' },
    409: { description: 'The ticket is no longer waiting' },
  },
});
