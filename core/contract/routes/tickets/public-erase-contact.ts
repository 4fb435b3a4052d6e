import { route } from '#core/contract/define';
import { publicTokenParams } from '#core/contract/schemas/requests/tickets';
import { PUBLIC_RATE_LIMITS } from './public';

export const publicEraseContactRoute = route({
  method: 'DELETE',
  path: '/v1/public/tickets/{publicToken}/contact',
  function: 'public-erase-contact',
  summary: 'The customer erases the contact data given for their ticket, at once',
  tag: 'Public',
  auth: 'none',
  params: publicTokenParams(),
  rateLimits: PUBLIC_RATE_LIMITS,
  responses: {
    204: {
      description:
        'Erased: the name, phone, email, reference and push subscriptions kept with the ticket, whatever its status (a waiting ticket keeps its place but can no longer be notified). Again: 204, nothing left to erase.',
    },
  },
  deploy: {
    // The ticket (read by its token, then one conditional update) and the rate window.
    dynamo: { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], table: true },
  },
});
