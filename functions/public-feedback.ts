import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicFeedbackRoute } from '#core/contract/routes/tickets/public-feedback';
import { publicFeedback } from '#core/usecases/tickets/public-status';
import { publicTicketContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  publicFeedbackRoute,
  async (req) => ({
    status: 201,
    body: await publicFeedback(publicTicketContext(req), { ...req.body, ...req.params }),
  }),
  { rateLimit: countRequest },
);
