import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicTicketRoute } from '#core/contract/routes/tickets/public-ticket';
import { publicStatus } from '#core/usecases/tickets/public-status';
import { publicTicketContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  publicTicketRoute,
  async (req) => ({
    status: 200,
    body: await publicStatus(publicTicketContext(req), req.params),
    headers: { 'cache-control': 'no-store' },
  }),
  { rateLimit: countRequest },
);
