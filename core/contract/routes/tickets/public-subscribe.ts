import { route } from '#core/contract/define';
import { publicTokenParams, pushSubscriptionBody } from '#core/contract/schemas/requests/tickets';
import { PUBLIC_RATE_LIMITS } from './public';

export const publicSubscribeRoute = route({
  method: 'POST',
  path: '/v1/public/tickets/{publicToken}/subscriptions',
  function: 'public-subscribe',
  summary: 'The customer’s browser subscribes to web push messages for the ticket',
  tag: 'Public',
  auth: 'none',
  params: publicTokenParams(),
  body: pushSubscriptionBody(),
  rateLimits: PUBLIC_RATE_LIMITS,
  responses: {
    201: {
      description:
        'Subscribed (the same endpoint again replaces its keys). The near-turn and called messages go to it.',
      schema: 'PushSubscriptionCreated',
    },
    409: { description: 'The ticket has ended, or already holds the most subscriptions a ticket may' },
  },
  deploy: {
    // The ticket (by its token), one conditional update, the rate window.
    dynamo: { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], table: true },
  },
});
