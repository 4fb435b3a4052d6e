import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { applyTicketAction, type SimpleAction } from '#core/usecases/tickets/ticket-actions';
import type { ticketRoutes } from '#infra/routes/tickets';
import { endpoint } from './auth';
import { ticketContext } from './context';
import { recoverTicket } from './tickets';

type ActionRoute = (typeof ticketRoutes)[
  | 'startTicket'
  | 'completeTicket'
  | 'noShowTicket'
  | 'recallTicket'
  | 'cancelTicket'];

/** start, complete, no-show, recall, cancel share one handler shape (idempotent routes, all of them). */
export const ticketActionHandler = (route: ActionRoute, action: SimpleAction) =>
  endpoint(
    route,
    async (req) => ({
      status: 200,
      body: {
        ticket: await applyTicketAction(ticketContext(req), { ...req.params, action }),
      },
    }),
    { idempotency: dynamoIdempotencyStore, recover: recoverTicket },
  );
