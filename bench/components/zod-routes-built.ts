import { boardRoute } from '#core/contract/routes/tickets/board';
import { callNextRoute } from '#core/contract/routes/tickets/call-next';
import { cancelTicketRoute } from '#core/contract/routes/tickets/cancel-ticket';
import { completeTicketRoute } from '#core/contract/routes/tickets/complete-ticket';
import { enqueueRoute } from '#core/contract/routes/tickets/enqueue';
import { getTicketRoute } from '#core/contract/routes/tickets/get-ticket';
import { listTicketsRoute } from '#core/contract/routes/tickets/list-tickets';
import { noShowTicketRoute } from '#core/contract/routes/tickets/no-show-ticket';
import { publicCancelTicketRoute } from '#core/contract/routes/tickets/public-cancel-ticket';
import { publicTicketRoute } from '#core/contract/routes/tickets/public-ticket';
import { reassignRoute } from '#core/contract/routes/tickets/reassign';
import { recallTicketRoute } from '#core/contract/routes/tickets/recall-ticket';
import { startTicketRoute } from '#core/contract/routes/tickets/start-ticket';
import { transferTicketRoute } from '#core/contract/routes/tickets/transfer-ticket';
import * as ticketResponses from '#core/contract/schemas/responses/tickets';

/**
 * Cold-start component: every entry of the ticket area and every ticket response schema, all
 * built at load — what a ticket function paid before each entry had a file of its own and
 * responses were named rather than imported (zod-routes: what it pays now).
 */
const built =
  [
    boardRoute,
    callNextRoute,
    cancelTicketRoute,
    completeTicketRoute,
    enqueueRoute,
    getTicketRoute,
    listTicketsRoute,
    noShowTicketRoute,
    publicCancelTicketRoute,
    publicTicketRoute,
    reassignRoute,
    recallTicketRoute,
    startTicketRoute,
    transferTicketRoute,
  ].length + Object.keys(ticketResponses).length;

export const handler = async () => ({ statusCode: 200, body: String(built) });
