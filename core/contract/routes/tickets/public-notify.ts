import { READ_ACTIONS } from '#core/contract/access';
import { route } from '#core/contract/define';
import { notifyBody, publicTokenParams } from '#core/contract/schemas/requests/tickets';
import { PUBLIC_RATE_LIMITS } from './public';

export const publicNotifyRoute = route({
  method: 'POST',
  path: '/v1/public/tickets/{publicToken}/notify',
  function: 'public-notify',
  summary: 'The customer asks for SMS and/or email messages when their turn is near and when called',
  tag: 'Public',
  auth: 'none',
  params: publicTokenParams(),
  body: notifyBody(),
  rateLimits: PUBLIC_RATE_LIMITS,
  responses: {
    200: {
      description:
        'Signed up: `phone` adds SMS, `email` adds email (each replacing the contact given before for it). Answers the ticket status, as GET does.',
      schema: 'PublicStatus',
    },
    409: { description: 'The ticket has ended' },
  },
  deploy: {
    // The ticket (by its token) and its branch's setup, one conditional update, the rate window.
    dynamo: { actions: [...READ_ACTIONS, 'dynamodb:UpdateItem'], table: true },
  },
});
