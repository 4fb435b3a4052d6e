import { getTicket } from '#core/usecases/tickets/read-tickets';
import * as ticketRoutes from '#infra/routes/tickets';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';

export const handler = endpoint(ticketRoutes.getTicket, async (req) => ({
  status: 200,
  body: await getTicket(ticketContext(req), req.params),
}));
