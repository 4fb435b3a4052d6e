import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicStatus } from '#core/usecases/tickets/public-status';
import * as ticketRoutes from '#infra/routes/tickets';
import { publicTicketContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  ticketRoutes.publicTicket,
  async (req) => ({
    status: 200,
    body: await publicStatus(publicTicketContext(req), req.params),
    headers: { 'cache-control': 'no-store' },
  }),
  { rateLimit: countRequest },
);
