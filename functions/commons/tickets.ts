import { loadBranchSetup } from '../../core/adapters/dynamo/branch-setup';
import { dynamoTicketStore } from '../../core/adapters/dynamo/ticket-store';
import type { Actor } from '../../core/domain/actor';
import type { TicketContext } from '../../core/usecases/tickets/context';
import { applyTicketAction, type SimpleAction } from '../../core/usecases/tickets/ticket-actions';
import type { ticketRoutes } from '../../infra/routes/tickets';
import { endpoint } from './http';

/** The ticket use cases' context for one request: the verified actor, its clock, DynamoDB. */
export const ticketContext = (request: { actor: Actor; now: Date }): TicketContext => ({
  actor: request.actor,
  now: request.now,
  store: dynamoTicketStore,
  loadSetup: loadBranchSetup,
});

export const publicContext = (request: { now: Date }) => ({
  now: request.now,
  store: dynamoTicketStore,
  loadSetup: loadBranchSetup,
});

type ActionRoute = (typeof ticketRoutes)[
  | 'startTicket'
  | 'completeTicket'
  | 'noShowTicket'
  | 'recallTicket'
  | 'cancelTicket'];

/** start, complete, no-show, recall, cancel share one handler shape. */
export const ticketActionHandler = (route: ActionRoute, action: SimpleAction) =>
  endpoint(route, async (req) => ({
    status: 200,
    body: {
      ticket: await applyTicketAction(ticketContext(req), req.params.branchId, req.params.ticketId, action),
    },
  }));
