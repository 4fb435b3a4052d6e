import type { HeldSlot, Slots } from '#core/domain/login-throttle';
import { LOGIN_MAX_FAILURES } from '#core/domain/login-throttle';

/** Failed-login budget of one tenant slug + username (lower-case); no tenant prefix, it precedes login. */
export const loginThrottleKey = (subject: string) => ({ pk: `LOGIN#${subject}`, sk: 'LOGIN' });

/**
 * Slot i is two attributes: `s<i>`, until when it is held (epoch ms; absent = free), and
 * `c<i>`, the claim id of the attempt in flight that holds it (absent once it is a failure).
 */
export const slotUntil = (slot: number) => `s${slot}`;
export const slotClaim = (slot: number) => `c${slot}`;

export function slotsFromItem(item: Record<string, unknown> | undefined): Slots {
  return Array.from({ length: LOGIN_MAX_FAILURES }, (_, i): HeldSlot | undefined => {
    const until = item?.[slotUntil(i)];
    if (typeof until !== 'number') return undefined;
    return { until, inFlight: typeof item?.[slotClaim(i)] === 'string' };
  });
}
