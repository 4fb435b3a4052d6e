import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicCancelTicketRoute } from '#core/contract/routes/tickets/public-cancel-ticket';
import { publicCancel } from '#core/usecases/tickets/public-status';
import { publicEndpoint } from './commons/http';
import { publicContext } from './commons/tickets';

export const handler = publicEndpoint(
  publicCancelTicketRoute,
  async (req) => ({
    status: 200,
    body: await publicCancel(publicContext(req), req.params.publicToken),
  }),
  { rateLimit: countRequest },
);
