import * as ticketRoutes from '#infra/routes/tickets';
import { ticketActionHandler } from './commons/ticket-actions';

export const handler = ticketActionHandler(ticketRoutes.recallTicket, 'recall');
