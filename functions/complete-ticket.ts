import { ticketRoutes } from '../infra/routes/tickets';
import { ticketActionHandler } from './commons/tickets';

export const handler = ticketActionHandler(ticketRoutes.completeTicket, 'complete');
