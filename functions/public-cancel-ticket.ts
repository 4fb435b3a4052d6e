import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicCancel } from '#core/usecases/tickets/public-status';
import * as ticketRoutes from '#infra/routes/tickets';
import { publicEndpoint } from './commons/http';
import { publicContext } from './commons/tickets';

export const handler = publicEndpoint(
  ticketRoutes.publicCancel,
  async (req) => ({
    status: 200,
    body: await publicCancel(publicContext(req), req.params.publicToken),
  }),
  { rateLimit: countRequest },
);
