import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicCancel } from '#core/usecases/tickets/public-status';
import * as ticketRoutes from '#infra/routes/tickets';
import { publicTicketContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  ticketRoutes.publicCancel,
  async (req) => ({
    status: 200,
    body: await publicCancel(publicTicketContext(req), req.params),
  }),
  { rateLimit: countRequest },
);
