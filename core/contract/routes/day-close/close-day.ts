import { route } from '#core/contract/define';
import { branchParams, emptyBody } from '#core/contract/schemas/common';

export const closeDayRoute = route({
  method: 'POST',
  path: '/v1/branches/{branchId}/close-day',
  function: 'close-day',
  summary:
    'Close the business day now: expire what waits or is called, finish what is served, restart numbering',
  tag: 'Day close',
  auth: 'bearer',
  permission: 'branches:update',
  params: branchParams(),
  body: emptyBody(),
  idempotent: true,
  responses: {
    200: { description: 'What the close did', schema: 'ClosedDay' },
    202: {
      description:
        'The close goes on in the background (many open tickets); numbering restarts when it ends. Follow it at Location',
      schema: 'CloseProgress',
      headers: { Location: 'Where the close reports its progress (GET)' },
    },
  },
  // A close that outlasts its request goes on through the day-close queue.
  deploy: { sendsToCloseQueue: true },
});
