import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicCancelTicketRoute } from '#core/contract/routes/tickets/public-cancel-ticket';
import { publicCancel } from '#core/usecases/tickets/public-status';
import { publicTicketContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  publicCancelTicketRoute,
  async (req) => ({
    status: 200,
    body: await publicCancel(publicTicketContext(req), req.params),
  }),
  { rateLimit: countRequest },
);
