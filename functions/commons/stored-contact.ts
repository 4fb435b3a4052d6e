import type { StoredResponse } from '#core/ports/idempotency';

/**
 * Contact data is kept on the ticket alone (docs/privacy.md), so that erasing it there erases it
 * everywhere: a stored idempotent answer carrying a ticket with a customer (enqueue, call-next,
 * the ticket actions) is stored with `customer: null` and the ticket's id in `contactOf`, and a
 * replay puts back the ticket's customer as it is then — null once it has been erased.
 */

type TicketAnswer = { ticket?: { id?: unknown; customer?: unknown } };

const ticketOf = (body: string): TicketAnswer['ticket'] | undefined => {
  if (!body.startsWith('{')) return undefined;
  try {
    return (JSON.parse(body) as TicketAnswer).ticket;
  } catch {
    return undefined;
  }
};

/** The answer as stored: without the ticket's customer, which stays on the ticket only. */
export function storedWithoutContact(response: StoredResponse): StoredResponse {
  const ticket = ticketOf(response.body);
  if (!ticket || ticket.customer == null || typeof ticket.id !== 'string') return response;
  const parsed = JSON.parse(response.body) as Required<TicketAnswer>;
  parsed.ticket.customer = null;
  return { ...response, body: JSON.stringify(parsed), contactOf: ticket.id };
}

/** A stored answer's body with the ticket's customer of now (`current`: the ticket's answer now). */
export async function bodyWithContact(
  response: StoredResponse,
  current: (ticketId: string) => Promise<unknown>,
): Promise<string> {
  if (!response.contactOf) return response.body;
  const now = (await current(response.contactOf).catch(() => undefined)) as TicketAnswer | undefined;
  const customer = now?.ticket?.customer ?? null;
  if (customer === null) return response.body;
  const parsed = JSON.parse(response.body) as Required<TicketAnswer>;
  parsed.ticket.customer = customer;
  return JSON.stringify(parsed);
}
