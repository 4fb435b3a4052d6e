import { ticketAction } from './action';

export const completeTicketRoute = ticketAction(
  'complete',
  'complete-ticket',
  'Complete a called or serving ticket',
);
