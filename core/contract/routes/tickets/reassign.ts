import { route } from '#core/contract/define';
import { branchParams } from '#core/contract/schemas/common';
import { reassignBody } from '#core/contract/schemas/requests/tickets';

export const reassignRoute = route({
  method: 'POST',
  path: '/v1/branches/{branchId}/reassign',
  function: 'reassign',
  summary: 'Move waiting tickets between queues: a count, explicit tickets, or balance',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:reassign',
  params: branchParams(),
  body: reassignBody(),
  idempotent: true,
  responses: {
    200: { description: 'The tickets moved', schema: 'Reassigned' },
    409: { description: 'A target queue is closed' },
  },
});
