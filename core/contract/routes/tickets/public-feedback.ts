import { route } from '#core/contract/define';
import { feedbackBody, publicTokenParams } from '#core/contract/schemas/requests/tickets';
import { PUBLIC_RATE_LIMITS } from './public';

export const publicFeedbackRoute = route({
  method: 'POST',
  path: '/v1/public/tickets/{publicToken}/feedback',
  function: 'public-feedback',
  summary: 'The customer rates the service of their done ticket, once',
  tag: 'Public',
  auth: 'none',
  params: publicTokenParams(),
  body: feedbackBody(),
  rateLimits: PUBLIC_RATE_LIMITS,
  responses: {
    201: { description: 'Taken: the ticket status, now with `feedback: "given"`', schema: 'PublicStatus' },
    409: {
      description: 'Feedback given already, the ticket is not done, or it ended more than 24 hours ago',
    },
  },
});
