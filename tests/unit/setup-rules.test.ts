import { describe, expect, it } from 'vitest';
import { addDays, businessDayOf } from '#core/domain/business-day';
import type { Counter, QueueLive } from '#core/domain/setup';
import {
  assertNoneBusy,
  assertNoneWaiting,
  byDisplayOrder,
  COLOR,
  canonicalLanguageTag,
  currentDayEnd,
  hasDuplicates,
  QUEUE_PREFIX,
  rescheduledDue,
} from '#core/domain/setup-rules';

const at = (iso: string) => new Date(iso);

describe('currentDayEnd: when a branch’s current business day ends', () => {
  it('is the next local resetHour in Madrid, winter (UTC+1) and summer (UTC+2)', () => {
    expect(currentDayEnd(at('2026-01-15T10:00:00Z'), 'Europe/Madrid', 3).toISOString()).toBe(
      '2026-01-16T02:00:00.000Z',
    );
    expect(currentDayEnd(at('2026-07-15T10:00:00Z'), 'Europe/Madrid', 3).toISOString()).toBe(
      '2026-07-16T01:00:00.000Z',
    );
  });

  it('before the reset hour, the day still running is yesterday’s: it ends today', () => {
    // 01:30 local on 16 January belongs to the business day of the 15th.
    expect(currentDayEnd(at('2026-01-16T00:30:00Z'), 'Europe/Madrid', 3).toISOString()).toBe(
      '2026-01-16T02:00:00.000Z',
    );
  });

  it('at the reset hour exactly, a new day starts and ends a day later', () => {
    expect(currentDayEnd(at('2026-01-16T02:00:00Z'), 'Europe/Madrid', 3).toISOString()).toBe(
      '2026-01-17T02:00:00.000Z',
    );
  });

  it('is exactly when the business day changes, DST nights included', () => {
    // Europe/Madrid springs forward on 29 March 2026 and falls back on 25 October 2026.
    for (const now of ['2026-03-28T12:00:00Z', '2026-10-24T12:00:00Z', '2026-06-01T00:10:00Z']) {
      for (const resetHour of [0, 2, 3, 23]) {
        const end = currentDayEnd(at(now), 'Europe/Madrid', resetHour);
        const day = businessDayOf(at(now), 'Europe/Madrid', resetHour);
        expect(businessDayOf(new Date(end.getTime() - 1), 'Europe/Madrid', resetHour)).toBe(day);
        expect(businessDayOf(end, 'Europe/Madrid', resetHour)).toBe(addDays(day, 1));
      }
    }
  });

  it('resetHour 0 is local midnight; UTC works', () => {
    expect(currentDayEnd(at('2026-05-01T23:59:59Z'), 'UTC', 0).toISOString()).toBe(
      '2026-05-02T00:00:00.000Z',
    );
    expect(currentDayEnd(at('2026-05-01T10:00:00Z'), 'Asia/Tokyo', 0).toISOString()).toBe(
      '2026-05-01T15:00:00.000Z',
    );
  });
});

describe('rescheduledDue: the next close after timezone/resetHour change', () => {
  const now = at('2026-01-15T03:30:00Z'); // 04:30 in Madrid

  it('moving the reset later keeps nothing pending: the new day end', () => {
    // resetHour 3 → 5 at 04:30: the current day (now the 14th) ends today at 05:00 local.
    const scheduled = at('2026-01-16T02:00:00Z');
    expect(rescheduledDue(scheduled, now, 'Europe/Madrid', 5).toISOString()).toBe('2026-01-15T04:00:00.000Z');
  });

  it('never postpones a close that comes sooner', () => {
    // resetHour 5 → 3 at 04:30: yesterday is still open (its close is due at 05:00 today); keep it.
    const scheduled = at('2026-01-15T04:00:00Z');
    expect(rescheduledDue(scheduled, now, 'Europe/Madrid', 3)).toEqual(scheduled);
  });

  it('keeps a close that is already overdue', () => {
    const overdue = at('2026-01-15T02:00:00Z');
    expect(rescheduledDue(overdue, now, 'Asia/Tokyo', 3)).toEqual(overdue);
  });

  it('without a scheduled close, the new day end', () => {
    expect(rescheduledDue(null, now, 'UTC', 3).toISOString()).toBe('2026-01-16T03:00:00.000Z');
  });
});

describe('validation rules', () => {
  it('queue prefixes are 1–3 uppercase ASCII letters', () => {
    for (const ok of ['A', 'AB', 'XYZ']) expect(QUEUE_PREFIX.test(ok)).toBe(true);
    for (const bad of ['', 'a', 'ABCD', 'A1', 'Ñ', 'A-', ' A']) expect(QUEUE_PREFIX.test(bad)).toBe(false);
  });

  it('colours are #RRGGBB', () => {
    for (const ok of ['#000000', '#1e88E5']) expect(COLOR.test(ok)).toBe(true);
    for (const bad of ['#FFF', 'FFFFFF', '#GGGGGG', 'red', '#1234567']) expect(COLOR.test(bad)).toBe(false);
  });

  it('language tags are BCP 47, kept in canonical spelling', () => {
    expect(canonicalLanguageTag('es')).toBe('es');
    expect(canonicalLanguageTag('ES-es')).toBe('es-ES');
    expect(canonicalLanguageTag('zh-hant-tw')).toBe('zh-Hant-TW');
    for (const bad of ['', 'e', 'Spanish', 'es_ES', 'es-', '-es', 'es ES', '123']) {
      expect(canonicalLanguageTag(bad), bad).toBeUndefined();
    }
  });

  it('queues show by displayOrder (lower first), then those without one by name', () => {
    const q = (name: string, displayOrder: number | null) => ({ name, displayOrder });
    const sorted = [q('Zeta', null), q('Beta', 2), q('Alpha', null), q('Gamma', 1), q('Delta', 2)].sort(
      byDisplayOrder,
    );
    expect(sorted.map((x) => x.name)).toEqual(['Gamma', 'Beta', 'Delta', 'Alpha', 'Zeta']);
  });

  it('hasDuplicates', () => {
    expect(hasDuplicates(['a', 'b'])).toBe(false);
    expect(hasDuplicates(['a', 'b', 'a'])).toBe(true);
  });
});

describe('delete guards', () => {
  const live = (counts: Array<[number, number]>): QueueLive => ({
    waitingByRank: new Map(counts),
    serviceCount: 0,
    serviceSeconds: 0,
    version: 0,
    shardVersions: [],
    lines: new Map(),
  });

  it('assertNoneWaiting sums every rank of every queue', () => {
    expect(() => assertNoneWaiting([{ live: live([]) }, { live: live([]) }])).not.toThrow();
    expect(() => assertNoneWaiting([{ live: live([]) }, { live: live([[2, 1]]) }])).toThrow(
      expect.objectContaining({
        status: 409,
        code: 'tickets-waiting',
        message: expect.stringContaining('1 ticket'),
      }),
    );
  });

  it('assertNoneBusy names the busy counters', () => {
    const counter = (name: string, busy: boolean): Counter => ({
      id: name,
      branchId: 'b',
      name,
      queueIds: [],
      allowStealing: true,
      current: busy ? { ticketId: 't', code: 'A-001', status: 'serving', calledAt: '' } : null,
      recent: [],
      waitMax: {},
      revision: 0,
      createdAt: '',
      updatedAt: '',
    });
    expect(() => assertNoneBusy([counter('Desk 1', false)])).not.toThrow();
    expect(() => assertNoneBusy([counter('Desk 1', false), counter('Desk 2', true)])).toThrow(
      expect.objectContaining({
        status: 409,
        code: 'counter-busy',
        message: expect.stringContaining('Desk 2'),
      }),
    );
  });
});
