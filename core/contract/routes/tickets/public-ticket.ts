import { READ_ACTIONS } from '#core/contract/access';
import { route } from '#core/contract/define';
import { publicTokenParams } from '#core/contract/schemas/requests/tickets';
import { PUBLIC_RATE_LIMITS } from './public';

export const publicTicketRoute = route({
  method: 'GET',
  path: '/v1/public/tickets/{publicToken}',
  function: 'public-ticket',
  summary: 'A customer’s ticket status, by the token printed on the ticket (no login)',
  tag: 'Public',
  auth: 'none',
  params: publicTokenParams(),
  rateLimits: PUBLIC_RATE_LIMITS,
  polled: true,
  responses: { 200: { description: 'The ticket status', schema: 'PublicStatus' } },
  deploy: {
    // A GET that writes: the client's and the route's request counters (the rate window,
    // UpdateItem on the table) — the one read-only route with a write.
    dynamo: { actions: [...READ_ACTIONS, 'dynamodb:UpdateItem'], table: true },
  },
});
