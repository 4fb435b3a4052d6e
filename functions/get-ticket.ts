import { getTicketRoute } from '#core/contract/routes/tickets/get-ticket';
import { getTicket } from '#core/usecases/tickets/read-tickets';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';

export const handler = endpoint(getTicketRoute, async (req) => ({
  status: 200,
  body: await getTicket(ticketContext(req), req.params),
}));
