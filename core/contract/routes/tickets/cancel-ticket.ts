import { ticketAction } from './action';

export const cancelTicketRoute = ticketAction(
  'cancel',
  'cancel-ticket',
  'Cancel a waiting or called ticket',
  'tickets:cancel',
);
