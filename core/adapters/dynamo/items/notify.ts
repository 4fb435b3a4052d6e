import type { NotifyEvent } from '#core/domain/notify';
import { ticketKey } from './ticket';

/**
 * A message's claim: one item per ticket, event and recipient, beside the ticket in its
 * partition. Written once (conditional Put); it holds no contact data, and goes with its TTL.
 */
export const notifyClaimKey = (tenantId: string, ticketId: string, event: NotifyEvent, claim: string) => ({
  pk: ticketKey(tenantId, ticketId).pk,
  sk: `NOTIFY#${event}#${claim}`,
});

/**
 * How long a claim is kept: longer than any ticket stays unfinished (a business day, and the
 * close that expires it), so no message of a live ticket is ever claimed twice.
 */
export const NOTIFY_CLAIM_DAYS = 7;
