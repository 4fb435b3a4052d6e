import { loadBranchSetup } from '#core/adapters/dynamo/branch-setup';
import { dynamoTicketStore } from '#core/adapters/dynamo/ticket-store';
import type { Actor } from '#core/domain/actor';
import { publicView } from '#core/domain/ticket';
import { type TicketContext, ticketInScope } from '#core/usecases/tickets/context';
import type { HttpResult } from './http';

/** The ticket use cases' context for one request: the verified actor, its clock, DynamoDB. */
export const ticketContext = (request: { actor: Actor; now: Date }): TicketContext => ({
  actor: request.actor,
  now: request.now,
  store: dynamoTicketStore,
  loadSetup: loadBranchSetup,
});

/**
 * `recover` (./http.ts Services) of the routes that answer 200 `{ ticket }`: the ticket their
 * first request wrote, as it is now.
 */
export async function recoverTicket(
  request: { actor: Actor; now: Date; params: { branchId: string } },
  ticketId: string,
): Promise<HttpResult> {
  const { ticket } = await ticketInScope(ticketContext(request), request.params.branchId, ticketId);
  return { status: 200, body: { ticket: publicView(ticket) } };
}

export const publicContext = (request: { now: Date }) => ({
  now: request.now,
  store: dynamoTicketStore,
  loadSetup: loadBranchSetup,
});
