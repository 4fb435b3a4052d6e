import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import type { TicketActionRoute } from '#core/contract/routes/tickets/action';
import { applyTicketAction, type SimpleAction } from '#core/usecases/tickets/ticket-actions';
import { endpoint } from './auth';
import { ticketContext } from './context';
import type { Services } from './http';
import { recoverTicket } from './tickets';

/**
 * start, complete, no-show, recall, cancel share one handler shape (idempotent routes, all of
 * them); `metrics` for complete, which counts the tickets served.
 */
export const ticketActionHandler = (
  route: TicketActionRoute,
  action: SimpleAction,
  { metrics }: Pick<Services, 'metrics'> = {},
) =>
  endpoint(
    route,
    async (req) => ({
      status: 200,
      body: {
        ticket: await applyTicketAction(ticketContext(req), { ...req.params, action }),
      },
    }),
    { idempotency: dynamoIdempotencyStore, recover: recoverTicket, metrics },
  );
