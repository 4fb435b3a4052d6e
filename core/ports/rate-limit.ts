/**
 * Counts one request of `subject` (a client address, an account, `*` for everyone) against
 * `scope` in the fixed window of `windowSeconds` that holds `now`, shared by every instance:
 * the count so far, this one included, and the seconds until the window ends.
 */
export type RequestCounter = (
  scope: string,
  subject: string,
  windowSeconds: number,
  now: Date,
) => Promise<{ count: number; secondsLeft: number }>;
