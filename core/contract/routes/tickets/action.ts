import { route } from '#core/contract/define';
import { emptyBody } from '#core/contract/schemas/common';
import { branchTicketParams } from '#core/contract/schemas/requests/tickets';

/** start, complete, no-show, recall and cancel: one shape, `POST …/tickets/{ticketId}/<name>`. */
export const ticketAction = (
  name: string,
  fn: string,
  summary: string,
  permission: 'tickets:serve' | 'tickets:cancel' = 'tickets:serve',
) =>
  route({
    method: 'POST',
    path: `/v1/branches/{branchId}/tickets/{ticketId}/${name}`,
    function: fn,
    summary,
    tag: 'Tickets',
    auth: 'bearer',
    permission,
    params: branchTicketParams(),
    body: emptyBody(),
    idempotent: true,
    responses: {
      200: { description: 'The ticket after the action', schema: 'TicketResult' },
      409: { description: 'The action is not allowed from the ticket’s current status' },
    },
  });

export type TicketActionRoute = ReturnType<typeof ticketAction>;
