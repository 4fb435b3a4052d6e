import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicTicketRoute } from '#core/contract/routes/tickets/public-ticket';
import { publicStatus } from '#core/usecases/tickets/public-status';
import { publicEndpoint } from './commons/http';
import { publicContext } from './commons/tickets';

export const handler = publicEndpoint(
  publicTicketRoute,
  async (req) => ({
    status: 200,
    body: await publicStatus(publicContext(req), req.params.publicToken),
    headers: { 'cache-control': 'no-store' },
  }),
  { rateLimit: countRequest },
);
