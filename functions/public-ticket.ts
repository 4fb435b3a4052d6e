import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicStatus } from '#core/usecases/tickets/public-status';
import * as ticketRoutes from '#infra/routes/tickets';
import { publicEndpoint } from './commons/http';
import { publicContext } from './commons/tickets';

export const handler = publicEndpoint(
  ticketRoutes.publicTicket,
  async (req) => ({
    status: 200,
    body: await publicStatus(publicContext(req), req.params.publicToken),
    headers: { 'cache-control': 'no-store' },
  }),
  { rateLimit: countRequest },
);
