import { route } from '#core/contract/define';
import { branchParams } from '#core/contract/schemas/common';
import { enqueueBody } from '#core/contract/schemas/requests/tickets';

export const enqueueRoute = route({
  method: 'POST',
  path: '/v1/branches/{branchId}/tickets',
  function: 'enqueue',
  summary: 'Issue a ticket (explicit queue, or automatic routing by priority)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:create',
  params: branchParams(),
  body: enqueueBody(),
  idempotent: true,
  requestHeaders: { 'Idempotency-Key': 'Repeat-safe key (24 h): the same key returns the same ticket' },
  responses: {
    201: { description: 'The ticket, its position and estimated wait', schema: 'TicketWithStanding' },
    409: { description: 'Queue not open, no open queue for the priority, or Idempotency-Key reused' },
  },
});
