import { recallTicketRoute } from '#core/contract/routes/tickets/recall-ticket';
import { ticketActionHandler } from './commons/ticket-actions';

export const handler = ticketActionHandler(recallTicketRoute, 'recall');
