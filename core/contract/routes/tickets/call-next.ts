import { route } from '#core/contract/define';
import { counterParams, emptyBody } from '#core/contract/schemas/common';

export const callNextRoute = route({
  method: 'POST',
  path: '/v1/branches/{branchId}/counters/{counterId}/call-next',
  function: 'call-next',
  summary: 'Call the next customer to this counter',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:serve',
  params: counterParams(),
  body: emptyBody(),
  idempotent: true,
  responses: {
    200: { description: 'The called ticket', schema: 'TicketResult' },
    204: { description: 'Nobody to call' },
    409: { description: 'The counter still has a called or serving ticket' },
  },
});
