import { smsNumber } from '#core/domain/contact';
import { ConflictError, ValidationError } from '#core/domain/errors';
import {
  channelSet,
  isPushKey,
  type NotifyChannel,
  type PushSubscription,
  withSubscription,
} from '#core/domain/notify';
import { TERMINAL, type TicketRecord } from '#core/domain/ticket';
import type { NotifyStore } from '#core/ports/notify';
import { backoff, type PublicTicketContext } from '#core/usecases/tickets/context';
import {
  type PublicStatus,
  type PublicTicketInput,
  publicStatus,
  ticketOfToken,
} from '#core/usecases/tickets/public-status';

/** What the status page's sign-ups run on: the customer's side of tickets, and the notify store. */
export interface SignUpContext extends PublicTicketContext {
  notifications: NotifyStore;
}

/** Lost races on one ticket before a sign-up gives up (409, to retry). */
const ATTEMPTS = 5;

/**
 * Reads the ticket of a token and writes `change(ticket)` at its revision, again after a lost
 * race (a call, a transfer, an erasure meanwhile). Only a live ticket takes a sign-up.
 */
async function updateLive(
  ctx: SignUpContext,
  input: PublicTicketInput,
  change: (tenantId: string, ticket: TicketRecord) => Promise<boolean>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { tenantId, ticket } = await ticketOfToken(ctx, input);
    if (TERMINAL.has(ticket.status))
      throw new ConflictError('ticket-ended', `The ticket is ${ticket.status}: there is nothing to notify`);
    if (await change(tenantId, ticket)) return;
    if (attempt >= ATTEMPTS) throw new ConflictError('concurrent-change', 'The ticket keeps changing; retry');
    await backoff(attempt);
  }
}

/**
 * `POST /v1/public/tickets/{publicToken}/notify { phone?, email? }`: the ticket gets SMS to
 * `phone` and/or email to `email` (replacing the number or address given before), on top of
 * the channels it has. Answers the ticket's status, like the status page's GET.
 */
export async function signUpForMessages(
  ctx: SignUpContext,
  input: PublicTicketInput & { phone?: string; email?: string },
): Promise<PublicStatus> {
  const { phone, email } = input;
  if (phone === undefined && email === undefined)
    throw new ValidationError('Give a phone, an email, or both', [
      { path: 'body', message: 'Needs phone or email' },
    ]);
  if (phone !== undefined && !smsNumber(phone))
    throw new ValidationError('The phone number cannot take SMS', [
      { path: 'body.phone', message: 'A phone number in international format (+34600112233)' },
    ]);
  const added: NotifyChannel[] = [
    ...(phone !== undefined ? ['sms' as const] : []),
    ...(email ? ['email' as const] : []),
  ];
  await updateLive(ctx, input, (tenantId, ticket) =>
    ctx.notifications.signUp(
      tenantId,
      ticket.id,
      ticket.rev,
      {
        customer: { ...ticket.customer, ...(phone !== undefined && { phone }), ...(email && { email }) },
        notify: channelSet([...(ticket.notify ?? []), ...added]),
      },
      ctx.now,
    ),
  );
  return publicStatus(ctx, input);
}

/**
 * `POST /v1/public/tickets/{publicToken}/subscriptions`: a browser subscribes to the ticket's
 * web push messages. The same endpoint again replaces its keys (a browser renews them).
 */
export async function subscribeToPush(
  ctx: SignUpContext,
  input: PublicTicketInput & Omit<PushSubscription, 'createdAt'>,
): Promise<{ endpoint: string; createdAt: string }> {
  if (!isPushKey(input.keys.p256dh))
    throw new ValidationError('keys.p256dh is not a P-256 public key', [
      { path: 'body.keys.p256dh', message: 'Not a P-256 public key (uncompressed point, base64url)' },
    ]);
  const subscription: PushSubscription = {
    endpoint: input.endpoint,
    keys: { p256dh: input.keys.p256dh, auth: input.keys.auth },
    createdAt: ctx.now.toISOString(),
  };
  await updateLive(ctx, input, (tenantId, ticket) => {
    const subscriptions = withSubscription(ticket.pushSubscriptions, subscription);
    if (!subscriptions)
      throw new ConflictError(
        'too-many-subscriptions',
        'The ticket holds the most push subscriptions it may',
      );
    return ctx.notifications.setSubscriptions(tenantId, ticket.id, ticket.rev, subscriptions, ctx.now);
  });
  return { endpoint: subscription.endpoint, createdAt: subscription.createdAt };
}
