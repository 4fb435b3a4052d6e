import { ticketAction } from './action';

export const noShowTicketRoute = ticketAction('no-show', 'no-show-ticket', 'Mark a called ticket as no-show');
