import { cancelTicketRoute } from '#core/contract/routes/tickets/cancel-ticket';
import { ticketActionHandler } from './commons/ticket-actions';

export const handler = ticketActionHandler(cancelTicketRoute, 'cancel');
