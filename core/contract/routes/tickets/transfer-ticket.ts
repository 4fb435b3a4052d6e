import { route } from '#core/contract/define';
import { branchTicketParams, transferBody } from '#core/contract/schemas/requests/tickets';

export const transferTicketRoute = route({
  method: 'POST',
  path: '/v1/branches/{branchId}/tickets/{ticketId}/transfer',
  function: 'transfer-ticket',
  summary: 'Move a ticket to another queue (keep its place, or go to the back)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:serve',
  params: branchTicketParams(),
  body: transferBody(),
  idempotent: true,
  responses: {
    200: { description: 'The ticket, waiting in the target queue', schema: 'TicketResult' },
    409: { description: 'The ticket is finished, or the target queue is closed' },
  },
});
