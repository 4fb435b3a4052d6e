import * as z from 'zod/mini';
import { pageQueryFields, text, ulid } from '#core/contract/schemas/common';
import { FEEDBACK_COMMENT_MAX } from '#core/domain/ticket';

/** What ticket routes take: path parameters, queries and bodies. */

export const TICKET_STATUSES = [
  'waiting',
  'called',
  'serving',
  'done',
  'no_show',
  'cancelled',
  'expired',
] as const;

export const customer = () =>
  z.strictObject({
    name: z.optional(text(120)),
    phone: z.optional(text(40)),
    email: z.optional(z.email().check(z.maxLength(254))),
    reference: z.optional(text(120)),
  });

export const notifyChannels = () => z.array(z.enum(['sms', 'email'])).check(z.maxLength(2));

export const enqueueBody = () =>
  z.strictObject({
    queueId: z.optional(ulid('Queue to join; omit for automatic routing by priorityId')),
    priorityId: z.optional(ulid('Individual priority, or the priority to route by when queueId is omitted')),
    customer: z.optional(z.nullable(customer())),
    notify: z.optional(notifyChannels()),
    note: z.optional(z.nullable(text(500, 0))),
  });

/** The join page's customer: no `reference` (that is the branch's own field). */
export const remoteJoinBody = () =>
  z.strictObject({
    queueId: ulid('Queue to join (one of the branch’s open queues)'),
    // The customer's own fields: `reference` is for staff.
    customer: z.optional(z.omit(customer(), { reference: true })),
    notify: z.optional(notifyChannels()),
  });

export const feedbackBody = () =>
  z.strictObject({
    rating: z.int().check(z.minimum(1), z.maximum(5), z.meta({ description: '1 (poor) to 5 (excellent)' })),
    comment: z.optional(text(FEEDBACK_COMMENT_MAX, 0)),
  });

export const transferBody = () =>
  z.strictObject({
    queueId: ulid('Target queue'),
    placement: z.optional(z.enum(['keep', 'back'])),
  });

export const reassignBody = () => {
  const ticketIds = z.array(ulid('Ticket id')).check(z.minLength(1), z.maxLength(100));
  return z.union([
    z.strictObject({ fromQueueId: ulid(), toQueueId: ulid(), ticketIds }),
    z.strictObject({
      fromQueueId: ulid(),
      toQueueId: ulid(),
      count: z.optional(z.int().check(z.minimum(1), z.maximum(10_000))),
    }),
    z.strictObject({
      mode: z.literal('balance'),
      queueIds: z.array(ulid('Queue id')).check(z.minLength(2), z.maxLength(50)),
    }),
  ]);
};

/** `YYYY-MM-DD` that names a real calendar day (`2026-02-30` → 400, as in reports). */
const calendarDay = () =>
  z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, { abort: true }),
    z.refine((value) => {
      const t = new Date(`${value}T00:00:00.000Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(value);
    }, 'Not a calendar date'),
    z.meta({ format: 'date', example: '2026-11-21' }),
  );

export const listTicketsQuery = () =>
  z.strictObject({
    status: z.optional(z.enum(TICKET_STATUSES)),
    queueId: z.optional(ulid()),
    businessDay: z.optional(calendarDay()),
    ...pageQueryFields(),
  });

export const branchTicketParams = () =>
  z.strictObject({
    branchId: ulid('Branch id'),
    ticketId: ulid('Ticket id'),
  });

export const publicTokenParams = () =>
  z.strictObject({
    publicToken: z
      .string()
      .check(z.regex(/^[A-Za-z0-9_-]{64}$/), z.meta({ description: 'Public token of a ticket' })),
  });

/** The status page adds SMS or email messages to a live ticket: a phone, an email, or both. */
export const notifyBody = () =>
  z.strictObject({
    phone: z.optional(text(40)),
    email: z.optional(z.email().check(z.maxLength(254))),
  });

/** base64url without padding, of exactly `bytes` bytes. */
const base64url = (bytes: number, description: string) =>
  z
    .string()
    .check(z.length(Math.ceil((bytes * 4) / 3)), z.regex(/^[A-Za-z0-9_-]+$/), z.meta({ description }));

/**
 * A browser's web push subscription (PushSubscription.toJSON(), RFC 8291): the push service's
 * endpoint — https, or http on a loopback host for local development — and the keys.
 */
export const pushSubscriptionBody = () =>
  z.strictObject({
    endpoint: z.url({ protocol: /^https?$/ }).check(
      z.maxLength(1024),
      z.refine(
        (value) => value.startsWith('https:') || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(value),
        'Must be https (http only on a loopback host)',
      ),
    ),
    keys: z.strictObject({
      p256dh: base64url(65, 'The browser’s P-256 public key, uncompressed (base64url)'),
      auth: base64url(16, 'The authentication secret (base64url)'),
    }),
  });
