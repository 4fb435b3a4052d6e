import type { TicketRecord } from './ticket';

/**
 * Contact data kept only as long as it is needed (docs/privacy.md): what a customer gave for a
 * ticket — `customer` (name, phone, email, reference) and its web push subscriptions — lives on
 * the ticket alone, and is erased once the ticket has ended and its branch's
 * `contactRetentionHours` have passed (or at once, at the customer's request).
 */

const HOUR_MS = 3_600_000;

/** The attribute a ticket's web push subscriptions are kept in (a list; absent when none). */
export const PUSH_SUBSCRIPTIONS = 'pushSubscriptions';

/** Whether the ticket holds any contact data. */
export function hasContactData(ticket: TicketRecord): boolean {
  const subscriptions = (ticket as unknown as Record<string, unknown>)[PUSH_SUBSCRIPTIONS];
  return (
    ticket.customer !== null ||
    (Array.isArray(subscriptions) && subscriptions.length > 0) ||
    !!ticket.feedbackComment
  );
}

/**
 * When the contact data of a ticket ending at `endedAt` is due for erasure: `retentionHours`
 * later (the branch's setting when the ticket ends); null when it holds none.
 */
export function contactDueAt(ticket: TicketRecord, endedAt: string, retentionHours: number): string | null {
  if (!hasContactData(ticket)) return null;
  return new Date(Date.parse(endedAt) + retentionHours * HOUR_MS).toISOString();
}

/**
 * A phone number SMS can go to: E.164 once spaces, dots, dashes and brackets are dropped
 * (`+34 600 11 22 33` → `+34600112233`); null when it is not one (a national number without
 * its country code cannot be sent to reliably).
 */
export function smsNumber(phone: string | undefined): string | null {
  if (!phone) return null;
  const compact = phone.replace(/[\s.()-]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : null;
}
