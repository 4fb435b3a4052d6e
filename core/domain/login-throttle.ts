/**
 * SPEC §4 login throttle: at most 5 failed attempts per tenant slug + username in a fixed
 * 15-minute window that starts with the first attempt. Attempts are claimed before the password
 * is checked (so parallel guesses cannot exceed the limit); a correct password gives its claim
 * back, so the count is one of failures.
 */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;

export interface ThrottleWindow {
  count: number;
  /** Epoch milliseconds of the window's first attempt. */
  windowStart: number;
}

export type AttemptDecision =
  | { kind: 'count' }
  | { kind: 'restart' }
  | { kind: 'locked'; retryAfterSeconds: number };

/** What a new attempt does to the window as it stands (undefined: no attempt recorded yet). */
export function decideAttempt(window: ThrottleWindow | undefined, now: Date): AttemptDecision {
  if (!window || window.windowStart <= windowCutoff(now)) return { kind: 'restart' };
  if (window.count < LOGIN_MAX_FAILURES) return { kind: 'count' };
  return {
    kind: 'locked',
    retryAfterSeconds: Math.ceil((window.windowStart + LOGIN_WINDOW_MS - now.getTime()) / 1000),
  };
}

/** Windows that started at or before this instant have passed. */
export const windowCutoff = (now: Date) => now.getTime() - LOGIN_WINDOW_MS;

/** Tenant slugs and usernames are both case-insensitive. */
export const throttleSubject = (tenantSlug: string, username: string) =>
  `${tenantSlug.toLowerCase()}#${username.toLowerCase()}`;
