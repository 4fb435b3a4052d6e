import { listTicketsRoute } from '#core/contract/routes/tickets/list-tickets';
import { listTickets } from '#core/usecases/tickets/read-tickets';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';
import { ticketContext } from './commons/tickets';

export const handler = endpoint(
  listTicketsRoute,
  async (req) => ({
    status: 200,
    body: await listTickets(ticketContext(req), req.params.branchId, req.query),
  }),
  { cursors: cursorSeal },
);
