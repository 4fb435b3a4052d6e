import { loadBranchSetup } from '../../core/adapters/dynamo/branch-setup';
import { dynamoTicketStore } from '../../core/adapters/dynamo/ticket-store';
import type { Actor } from '../../core/domain/actor';
import type { TicketContext } from '../../core/usecases/tickets/context';

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
