import { noShowTicketRoute } from '#core/contract/routes/tickets/no-show-ticket';
import { ticketActionHandler } from './commons/ticket-actions';

export const handler = ticketActionHandler(noShowTicketRoute, 'no-show');
