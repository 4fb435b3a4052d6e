import type { Actor } from '#core/domain/actor';
import { publicView } from '#core/domain/ticket';
import { ticketInScope } from '#core/usecases/tickets/context';
import { ticketContext } from './context';
import type { HttpResult } from './http';

/**
 * `recover` (./http.ts Services) of the routes that answer 200 `{ ticket }`: the ticket their
 * first request wrote, as it is now.
 */
export async function recoverTicket(
  request: { actor: Actor; now: Date; params: { branchId: string } },
  ticketId: string,
): Promise<HttpResult> {
  const { ticket } = await ticketInScope(ticketContext(request), {
    branchId: request.params.branchId,
    ticketId,
  });
  return { status: 200, body: { ticket: publicView(ticket) } };
}
