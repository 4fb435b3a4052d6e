import { ticketAction } from './action';

export const recallTicketRoute = ticketAction('recall', 'recall-ticket', 'Call a called ticket again');
