import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  claimedUntil,
  decideAttempt,
  failedUntil,
  type HeldSlot,
  LOGIN_CLAIM_MS,
  LOGIN_MAX_FAILURES,
  LOGIN_WINDOW_MS,
  throttleSubject,
} from '#core/domain/login-throttle';
import { timeoutSeconds } from '#infra/functions';

const start = Date.parse('2026-11-21T09:00:00.000Z');
const at = (ms: number) => new Date(start + ms);
const failure = (ms = 0): HeldSlot => ({ until: failedUntil(at(ms)), inFlight: false });
const inFlight = (ms = 0): HeldSlot => ({ until: claimedUntil(at(ms)), inFlight: true });
const free = undefined;

describe('login throttle decision', () => {
  it('allows 5 failures in 15 minutes, and reclaims a claim only after the login function has surely stopped', () => {
    expect(LOGIN_MAX_FAILURES).toBe(5);
    expect(LOGIN_WINDOW_MS).toBe(15 * 60_000);
    expect(LOGIN_CLAIM_MS).toBeGreaterThan(timeoutSeconds('login') * 1000);
  });

  it('claims among the free slots while there are any', () => {
    expect(decideAttempt([free, free, free, free, free], at(0))).toEqual({
      kind: 'claim',
      free: [0, 1, 2, 3, 4],
    });
    expect(decideAttempt([failure(), inFlight(), free, failure(), free], at(1000))).toEqual({
      kind: 'claim',
      free: [2, 4],
    });
  });

  it('waits when every slot is held and some only by attempts in flight', () => {
    expect(decideAttempt([inFlight(), inFlight(), inFlight(), inFlight(), inFlight()], at(10))).toEqual({
      kind: 'wait',
    });
    expect(decideAttempt([failure(), failure(), failure(), failure(), inFlight()], at(10))).toEqual({
      kind: 'wait',
    });
  });

  it('locks when failures hold every slot, until the oldest of them passes', () => {
    const slots = [failure(0), failure(60_000), failure(1000), failure(2000), failure(3000)];
    expect(decideAttempt(slots, at(60_000))).toEqual({ kind: 'locked', retryAfterSeconds: 14 * 60 });
    expect(decideAttempt(slots, at(LOGIN_WINDOW_MS - 1))).toEqual({ kind: 'locked', retryAfterSeconds: 1 });
    expect(decideAttempt(slots, at(LOGIN_WINDOW_MS))).toEqual({ kind: 'claim', free: [0] });
  });

  it('frees a slot held by an attempt in flight once its claim has run out (a crashed function)', () => {
    const slots = [inFlight(0), failure(0), failure(0), failure(0), failure(0)];
    expect(decideAttempt(slots, at(LOGIN_CLAIM_MS - 1))).toEqual({ kind: 'wait' });
    expect(decideAttempt(slots, at(LOGIN_CLAIM_MS))).toEqual({ kind: 'claim', free: [0] });
  });

  it('keys attempts by tenant slug and username, both case-insensitively', () => {
    expect(throttleSubject('Demo', 'Admin')).toBe(throttleSubject('demo', 'admin'));
    expect(throttleSubject('demo', 'admin')).not.toBe(throttleSubject('demo2', 'admin'));
  });
});

/**
 * Parallel attempts in any interleaving, driven by the decision rule over one set of slots
 * (the store's conditional writes make each step atomic): each attempt claims (or waits, or is
 * locked), then holds its slot during the password check, then fails or gives the slot back.
 */
describe('login throttle under any interleaving', () => {
  type State = 'new' | 'waiting' | 'checking' | 'ok' | 'wrong' | 'locked';

  function run(passwords: boolean[], schedule: number[]) {
    const slots: Array<HeldSlot | undefined> = Array(LOGIN_MAX_FAILURES).fill(undefined);
    const states: State[] = passwords.map(() => 'new');
    const held: number[] = [];
    let checking = 0;
    let maxChecking = 0;
    const now = at(0);
    const step = (i: number) => {
      const state = states[i]!;
      if (state === 'new' || state === 'waiting') {
        const decision = decideAttempt(slots, now);
        if (decision.kind === 'locked') {
          expect(slots.every((s) => s && !s.inFlight)).toBe(true);
          states[i] = 'locked';
        } else if (decision.kind === 'wait') states[i] = 'waiting';
        else {
          held[i] = decision.free[0]!;
          slots[held[i]!] = { until: claimedUntil(now), inFlight: true };
          states[i] = 'checking';
          maxChecking = Math.max(maxChecking, ++checking);
        }
      } else if (state === 'checking') {
        checking--;
        if (passwords[i]) {
          slots[held[i]!] = undefined;
          states[i] = 'ok';
        } else {
          slots[held[i]!] = { until: failedUntil(now), inFlight: false };
          states[i] = 'wrong';
        }
      }
    };
    for (const pick of schedule) step(pick % passwords.length);
    // Then every attempt still running goes on in turn until none can move.
    for (let moved = true; moved; ) {
      moved = false;
      for (let i = 0; i < passwords.length; i++) {
        const before = states[i];
        step(i);
        if (states[i] !== before && states[i] !== 'waiting') moved = true;
      }
    }
    return { states, maxChecking };
  }

  it('never checks more than 5 passwords at once, counts only wrong ones, and locks only on 5 failures', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 80 }),
        (passwords, schedule) => {
          const { states, maxChecking } = run(passwords, schedule);
          const count = (s: State) => states.filter((x) => x === s).length;
          expect(maxChecking).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
          expect(count('wrong')).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
          expect(count('new') + count('waiting') + count('checking')).toBe(0);
          if (count('locked') > 0) expect(count('wrong')).toBe(LOGIN_MAX_FAILURES);
          // Correct passwords are refused only by a full set of failures, never by attempts in flight.
          if (passwords.every(Boolean)) expect(count('ok')).toBe(passwords.length);
        },
      ),
    );
  });
});
