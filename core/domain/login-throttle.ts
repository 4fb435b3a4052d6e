/**
 * Login throttle: at most 5 failed attempts per tenant slug + username within 15 minutes.
 * The budget is 5 slots. A password check holds a slot while it runs; a wrong password keeps
 * the slot for 15 minutes (a failure), any other end gives it back (success, server error).
 * So parallel guesses never get more than 5 password checks, while correct passwords never
 * count and are never refused because others are in flight: when every slot is held and some
 * only by attempts in flight, a new attempt waits for them rather than being refused.
 */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * A slot held by an attempt in flight is free again after this long: more than the login
 * function's timeout (15 s), so its owner has certainly stopped (a crashed function must not
 * hold a slot for 15 minutes).
 */
export const LOGIN_CLAIM_MS = 20_000;

/** How long an attempt waits for attempts in flight before giving up with a 503. */
export const LOGIN_WAIT_MS = 10_000;

/** A held slot: until when (epoch ms), and whether by an attempt in flight or by a failure. */
export interface HeldSlot {
  until: number;
  inFlight: boolean;
}

/** The subject's slots, `undefined` where free; always LOGIN_MAX_FAILURES long. */
export type Slots = ReadonlyArray<HeldSlot | undefined>;

export type AttemptDecision =
  | { kind: 'claim'; free: number[] }
  | { kind: 'wait' }
  | { kind: 'locked'; retryAfterSeconds: number };

const isHeld = (slot: HeldSlot | undefined, now: number): slot is HeldSlot => !!slot && slot.until > now;

/** What a new attempt may do with the slots as they stand. */
export function decideAttempt(slots: Slots, now: Date): AttemptDecision {
  const at = now.getTime();
  const free = slots.flatMap((slot, i) => (isHeld(slot, at) ? [] : [i]));
  if (free.length > 0) return { kind: 'claim', free };
  const held = slots.filter((slot) => isHeld(slot, at));
  if (held.some((slot) => slot.inFlight)) return { kind: 'wait' };
  const firstFreed = Math.min(...held.map((slot) => slot.until));
  return { kind: 'locked', retryAfterSeconds: Math.ceil((firstFreed - at) / 1000) };
}

/** Until when a slot claimed at `now` is held by its attempt. */
export const claimedUntil = (now: Date) => now.getTime() + LOGIN_CLAIM_MS;

/** Until when a failure at `now` holds its slot. */
export const failedUntil = (now: Date) => now.getTime() + LOGIN_WINDOW_MS;

/** Tenant slugs and usernames are both case-insensitive. */
export const throttleSubject = (tenantSlug: string, username: string) =>
  `${tenantSlug.toLowerCase()}#${username.toLowerCase()}`;
