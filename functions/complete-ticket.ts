import { completeTicketRoute } from '#core/contract/routes/tickets/complete-ticket';
import { requestMetrics } from './commons/metrics';
import { ticketActionHandler } from './commons/ticket-actions';

export const handler = ticketActionHandler(completeTicketRoute, 'complete', { metrics: requestMetrics });
