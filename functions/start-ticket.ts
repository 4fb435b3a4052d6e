import { startTicketRoute } from '#core/contract/routes/tickets/start-ticket';
import { ticketActionHandler } from './commons/ticket-actions';

export const handler = ticketActionHandler(startTicketRoute, 'start');
