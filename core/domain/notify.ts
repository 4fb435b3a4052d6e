import { createHash, createPublicKey } from 'node:crypto';
import { smsNumber } from './contact';
import type { Customer, TicketRecord } from './ticket';

/**
 * Near-turn and called messages (docs/notifications.md): what a ticket asked for, who gets a
 * message when, and what it says. Pure rules; sending and claiming are the use case's.
 */

/** What enqueue and the status page sign a ticket up for (`notify`), besides web push. */
export type NotifyChannel = 'sms' | 'email';
/** How a message goes out. */
export type MessageChannel = NotifyChannel | 'webpush';
export type NotifyEvent = 'near' | 'called';

/** A browser's push subscription, as kept on the ticket (`pushSubscriptions`). */
export interface PushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  createdAt: string;
}

/** A ticket holds at most this many browsers' subscriptions (a phone and a laptop, and some). */
export const MAX_PUSH_SUBSCRIPTIONS = 5;

/**
 * Why the channels asked for cannot be honoured with this customer's contact data (`path`
 * names the field at fault), or null when they can.
 */
export function missingContact(
  channels: readonly NotifyChannel[],
  customer: Customer | null | undefined,
): { path: string; message: string } | null {
  if (channels.includes('sms') && !customer?.phone)
    return { path: 'body.customer.phone', message: 'Required for notify "sms"' };
  if (channels.includes('sms') && !smsNumber(customer?.phone))
    return {
      path: 'body.customer.phone',
      message: 'For notify "sms": a phone number in international format (+34600112233)',
    };
  if (channels.includes('email') && !customer?.email)
    return { path: 'body.customer.email', message: 'Required for notify "email"' };
  return null;
}

/** The channels, each once, in a fixed order. */
export const channelSet = (channels: readonly NotifyChannel[]): NotifyChannel[] =>
  (['sms', 'email'] as const).filter((c) => channels.includes(c));

/** One recipient of a ticket's message: a channel and its address. */
export interface Recipient {
  channel: MessageChannel;
  /** Phone number (E.164), email address, or push endpoint. */
  to: string;
  /**
   * What tells this recipient's claim apart from the ticket's others of the same event: the
   * channel, and for web push a digest of the browser's endpoint (each browser is its own
   * recipient). Never the address itself: claims outlive contact data (docs/privacy.md).
   */
  claim: string;
  subscription?: PushSubscription;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

/**
 * Who gets the ticket's messages, from what it holds now: the channels it asked for whose
 * contact is still there (erased data reaches nobody), and every subscribed browser.
 */
export function recipientsOf(ticket: TicketRecord): Recipient[] {
  const out: Recipient[] = [];
  const channels = ticket.notify ?? [];
  const phone = smsNumber(ticket.customer?.phone);
  if (channels.includes('sms') && phone) out.push({ channel: 'sms', to: phone, claim: 'sms' });
  const email = ticket.customer?.email;
  if (channels.includes('email') && email) out.push({ channel: 'email', to: email, claim: 'email' });
  for (const subscription of ticket.pushSubscriptions ?? [])
    out.push({
      channel: 'webpush',
      to: subscription.endpoint,
      claim: `webpush#${digest(subscription.endpoint)}`,
      subscription,
    });
  return out;
}

/**
 * The event a ticket is due: `called` when the stream saw it called (`calledNow`, whatever it
 * did next: a quick agent may complete it before its message goes) or it is called now —
 * recalls included, the claim keeps it to one; `near` while it waits at a position up to
 * `notifyAtPosition` and has never been called (once called, "your turn is near" would only
 * mislead: a ticket transferred back after its call gets nothing more). Nothing otherwise.
 */
export function dueEvent(
  ticket: Pick<TicketRecord, 'status' | 'firstCall'>,
  position: number | null,
  notifyAtPosition: number,
  calledNow = false,
): NotifyEvent | null {
  if (calledNow || ticket.status === 'called') return 'called';
  if (ticket.status === 'waiting' && !ticket.firstCall && position !== null && position <= notifyAtPosition)
    return 'near';
  return null;
}

/** Replaces the subscription of the same endpoint, or appends; null when the ticket holds too many. */
export function withSubscription(
  current: readonly PushSubscription[] | undefined,
  subscription: PushSubscription,
): PushSubscription[] | null {
  const others = (current ?? []).filter((s) => s.endpoint !== subscription.endpoint);
  if (others.length >= MAX_PUSH_SUBSCRIPTIONS) return null;
  return [...others, subscription];
}

/**
 * Whether `p256dh` is a point of P-256 (uncompressed, base64url): a browser's real key. The
 * schema checks its length; a key off the curve would only fail at the first message.
 */
export function isPushKey(p256dh: string): boolean {
  const raw = Buffer.from(p256dh, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) return false;
  try {
    createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: raw.subarray(1, 33).toString('base64url'),
        y: raw.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    return true;
  } catch {
    return false;
  }
}
