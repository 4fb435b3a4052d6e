import { route } from '#core/contract/define';
import { branchParams } from '#core/contract/schemas/common';
import { listTicketsQuery } from '#core/contract/schemas/requests/tickets';

export const listTicketsRoute = route({
  method: 'GET',
  path: '/v1/branches/{branchId}/tickets',
  function: 'list-tickets',
  summary: 'List the tickets of a business day (default: the current one)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:read',
  params: branchParams(),
  query: listTicketsQuery(),
  paginated: true,
  responses: { 200: { description: 'A page of tickets', schema: 'TicketPage' } },
});
