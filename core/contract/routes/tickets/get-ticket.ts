import { route } from '#core/contract/define';
import { branchTicketParams } from '#core/contract/schemas/requests/tickets';

export const getTicketRoute = route({
  method: 'GET',
  path: '/v1/branches/{branchId}/tickets/{ticketId}',
  function: 'get-ticket',
  summary: 'Read a ticket (with position and estimated wait while waiting)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:read',
  params: branchTicketParams(),
  responses: { 200: { description: 'The ticket', schema: 'TicketWithStanding' } },
});
