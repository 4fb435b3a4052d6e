import { describe, expect, it } from 'vitest';
import {
  decideAttempt,
  LOGIN_MAX_FAILURES,
  LOGIN_WINDOW_MS,
  throttleSubject,
} from '../../core/domain/login-throttle';

const start = Date.parse('2026-11-21T09:00:00.000Z');
const at = (ms: number) => new Date(start + ms);

describe('login throttle window', () => {
  it('allows 5 failures in 15 minutes', () => {
    expect(LOGIN_MAX_FAILURES).toBe(5);
    expect(LOGIN_WINDOW_MS).toBe(15 * 60_000);
  });

  it('starts a window on the first attempt', () => {
    expect(decideAttempt(undefined, at(0))).toEqual({ kind: 'restart' });
  });

  it('counts attempts while the window has room', () => {
    for (let count = 1; count < 5; count++) {
      expect(decideAttempt({ count, windowStart: start }, at(60_000))).toEqual({ kind: 'count' });
    }
  });

  it('locks a full window until it passes, with the seconds left', () => {
    expect(decideAttempt({ count: 5, windowStart: start }, at(60_000))).toEqual({
      kind: 'locked',
      retryAfterSeconds: 14 * 60,
    });
    expect(decideAttempt({ count: 5, windowStart: start }, at(LOGIN_WINDOW_MS - 1))).toEqual({
      kind: 'locked',
      retryAfterSeconds: 1,
    });
  });

  it('starts over once the window has passed, however full it was', () => {
    expect(decideAttempt({ count: 5, windowStart: start }, at(LOGIN_WINDOW_MS))).toEqual({ kind: 'restart' });
    expect(decideAttempt({ count: 3, windowStart: start }, at(LOGIN_WINDOW_MS + 1))).toEqual({
      kind: 'restart',
    });
  });

  it('keys attempts by tenant slug and username, both case-insensitively', () => {
    expect(throttleSubject('Demo', 'Admin')).toBe(throttleSubject('demo', 'admin'));
    expect(throttleSubject('demo', 'admin')).not.toBe(throttleSubject('demo2', 'admin'));
  });
});
