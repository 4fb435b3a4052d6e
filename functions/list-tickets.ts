import { listTicketsRoute } from '#core/contract/routes/tickets/list-tickets';
import { listTickets } from '#core/usecases/tickets/read-tickets';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listTicketsRoute,
  async (req) => ({
    status: 200,
    body: await listTickets(ticketContext(req), { ...req.query, ...req.params }),
  }),
  { cursors: cursorSeal },
);
