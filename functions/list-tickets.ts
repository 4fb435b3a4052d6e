import { listTickets } from '#core/usecases/tickets/read-tickets';
import * as ticketRoutes from '#infra/routes/tickets';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  ticketRoutes.listTickets,
  async (req) => ({
    status: 200,
    body: await listTickets(ticketContext(req), { ...req.query, ...req.params }),
  }),
  { cursors: cursorSeal },
);
