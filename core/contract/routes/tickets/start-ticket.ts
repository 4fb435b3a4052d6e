import { ticketAction } from './action';

export const startTicketRoute = ticketAction('start', 'start-ticket', 'Start serving a called ticket');
