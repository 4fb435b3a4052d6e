import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  businessDayEnd,
  businessDayOf,
  isValidTimeZone,
  localHourOf,
  localTime,
  zonedInstant,
} from '#core/domain/business-day';

const at = (iso: string) => new Date(iso);
const H = 3_600_000;
const MADRID = 'Europe/Madrid';
const BOGOTA = 'America/Bogota';
const KOLKATA = 'Asia/Kolkata';

/**
 * The business day's formula (docs/rules.md#numbering-and-the-business-day), computed
 * independently: the local date of (instant − resetHour h).
 */
const specDay = (instant: Date, timeZone: string, resetHour: number) =>
  new Date(instant.getTime() - resetHour * H).toLocaleDateString('sv-SE', { timeZone });

describe('businessDayOf', () => {
  it('Europe/Madrid on an ordinary day: the day changes at resetHour local time', () => {
    // 2025-06-02 is CEST (+02:00): 03:00 local = 01:00Z.
    expect(businessDayOf(at('2025-06-02T00:59:59.999Z'), MADRID, 3)).toBe('2025-06-01');
    expect(businessDayOf(at('2025-06-02T01:00:00.000Z'), MADRID, 3)).toBe('2025-06-02');
    expect(businessDayOf(at('2025-06-01T21:59:59.999Z'), MADRID, 0)).toBe('2025-06-01');
    expect(businessDayOf(at('2025-06-01T22:00:00.000Z'), MADRID, 0)).toBe('2025-06-02');
    // resetHour 23: the day is named after the date it starts on (23:00 local).
    expect(businessDayOf(at('2025-06-02T20:59:59.999Z'), MADRID, 23)).toBe('2025-06-01');
    expect(businessDayOf(at('2025-06-02T21:00:00.000Z'), MADRID, 23)).toBe('2025-06-02');
  });

  it('Europe/Madrid, spring forward (2025-03-30, 02:00 CET → 03:00 CEST at 01:00Z)', () => {
    // resetHour 0: local midnight, before the jump (CET, 23:00Z the day before).
    expect(businessDayOf(at('2025-03-29T22:59:59.999Z'), MADRID, 0)).toBe('2025-03-29');
    expect(businessDayOf(at('2025-03-29T23:00:00.000Z'), MADRID, 0)).toBe('2025-03-30');
    // resetHour 3: instant − 3 h reaches local midnight (23:00Z) at 02:00Z, i.e. 04:00 CEST.
    expect(businessDayOf(at('2025-03-30T01:00:00.000Z'), MADRID, 3)).toBe('2025-03-29');
    expect(businessDayOf(at('2025-03-30T01:59:59.999Z'), MADRID, 3)).toBe('2025-03-29');
    expect(businessDayOf(at('2025-03-30T02:00:00.000Z'), MADRID, 3)).toBe('2025-03-30');
    // resetHour 23 on the short day: midnight of the 30th (23:00Z on the 29th) + 23 h.
    expect(businessDayOf(at('2025-03-30T21:59:59.999Z'), MADRID, 23)).toBe('2025-03-29');
    expect(businessDayOf(at('2025-03-30T22:00:00.000Z'), MADRID, 23)).toBe('2025-03-30');
  });

  it('Europe/Madrid, fall back (2025-10-26, 03:00 CEST → 02:00 CET at 01:00Z)', () => {
    expect(businessDayOf(at('2025-10-25T21:59:59.999Z'), MADRID, 0)).toBe('2025-10-25');
    expect(businessDayOf(at('2025-10-25T22:00:00.000Z'), MADRID, 0)).toBe('2025-10-26');
    // resetHour 3: local midnight (22:00Z on the 25th) + 3 h = 01:00Z, the second 02:00 local.
    expect(businessDayOf(at('2025-10-26T00:59:59.999Z'), MADRID, 3)).toBe('2025-10-25');
    expect(businessDayOf(at('2025-10-26T01:00:00.000Z'), MADRID, 3)).toBe('2025-10-26');
    expect(businessDayOf(at('2025-10-26T02:00:00.000Z'), MADRID, 3)).toBe('2025-10-26');
    expect(businessDayOf(at('2025-10-26T20:59:59.999Z'), MADRID, 23)).toBe('2025-10-25');
    expect(businessDayOf(at('2025-10-26T21:00:00.000Z'), MADRID, 23)).toBe('2025-10-26');
  });

  it('America/Bogota (UTC−5, no DST)', () => {
    for (const day of ['2025-01-15', '2025-03-30', '2025-07-01', '2025-10-26']) {
      const next = addDays(day, 1);
      expect(businessDayOf(at(`${day}T04:59:59.999Z`), BOGOTA, 0)).toBe(addDays(day, -1));
      expect(businessDayOf(at(`${day}T05:00:00.000Z`), BOGOTA, 0)).toBe(day);
      expect(businessDayOf(at(`${day}T07:59:59.999Z`), BOGOTA, 3)).toBe(addDays(day, -1));
      expect(businessDayOf(at(`${day}T08:00:00.000Z`), BOGOTA, 3)).toBe(day);
      expect(businessDayOf(at(`${next}T03:59:59.999Z`), BOGOTA, 23)).toBe(addDays(day, -1));
      expect(businessDayOf(at(`${next}T04:00:00.000Z`), BOGOTA, 23)).toBe(day);
    }
  });

  it('Asia/Kolkata (+05:30)', () => {
    expect(businessDayOf(at('2025-06-01T18:29:59.999Z'), KOLKATA, 0)).toBe('2025-06-01');
    expect(businessDayOf(at('2025-06-01T18:30:00.000Z'), KOLKATA, 0)).toBe('2025-06-02');
    expect(businessDayOf(at('2025-06-01T21:29:59.999Z'), KOLKATA, 3)).toBe('2025-06-01');
    expect(businessDayOf(at('2025-06-01T21:30:00.000Z'), KOLKATA, 3)).toBe('2025-06-02');
    expect(businessDayOf(at('2025-06-02T17:29:59.999Z'), KOLKATA, 23)).toBe('2025-06-01');
    expect(businessDayOf(at('2025-06-02T17:30:00.000Z'), KOLKATA, 23)).toBe('2025-06-02');
  });

  it('agrees with the formula of the rules for any instant, zone and resetHour (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }),
        fc.constantFrom(MADRID, BOGOTA, KOLKATA, 'America/New_York', 'Australia/Lord_Howe', 'UTC'),
        fc.integer({ min: 0, max: 23 }),
        (ms, zone, resetHour) => {
          expect(businessDayOf(new Date(ms), zone, resetHour)).toBe(specDay(new Date(ms), zone, resetHour));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('localHourOf is the branch-local hour', () => {
    expect(localHourOf(at('2025-06-02T01:00:00.000Z'), MADRID)).toBe('03');
    expect(localHourOf(at('2025-06-02T05:00:00.000Z'), BOGOTA)).toBe('00');
    expect(localHourOf(at('2025-06-02T18:29:00.000Z'), KOLKATA)).toBe('23');
    expect(localHourOf(at('2025-10-26T00:30:00.000Z'), MADRID)).toBe('02');
    expect(localHourOf(at('2025-10-26T01:30:00.000Z'), MADRID)).toBe('02');
  });
});

describe('zonedInstant', () => {
  it('finds the UTC instant of a local wall time', () => {
    expect(zonedInstant('2025-06-02', 3, MADRID).toISOString()).toBe('2025-06-02T01:00:00.000Z');
    expect(zonedInstant('2025-01-15', 3, MADRID).toISOString()).toBe('2025-01-15T02:00:00.000Z');
    expect(zonedInstant('2025-06-02', 0, BOGOTA).toISOString()).toBe('2025-06-02T05:00:00.000Z');
    expect(zonedInstant('2025-06-02', 3, KOLKATA).toISOString()).toBe('2025-06-01T21:30:00.000Z');
    expect(zonedInstant('2025-06-02', 23, KOLKATA).toISOString()).toBe('2025-06-02T17:30:00.000Z');
  });

  it('a wall time skipped by spring forward maps to the first instant after the gap', () => {
    // Madrid 2025-03-30: 02:00–02:59 do not exist; 03:00 CEST = 01:00Z.
    expect(zonedInstant('2025-03-30', 2, MADRID).toISOString()).toBe('2025-03-30T01:00:00.000Z');
    expect(zonedInstant('2025-03-30', 3, MADRID).toISOString()).toBe('2025-03-30T01:00:00.000Z');
    expect(zonedInstant('2025-03-30', 1, MADRID).toISOString()).toBe('2025-03-30T00:00:00.000Z');
    // Santiago 2024-09-08: midnight itself is skipped (00:00 → 01:00 at 04:00Z).
    expect(zonedInstant('2024-09-08', 0, 'America/Santiago').toISOString()).toBe('2024-09-08T04:00:00.000Z');
    // Lord Howe: a 30-minute jump, 02:00 → 02:30.
    expect(zonedInstant('2024-10-06', 2, 'Australia/Lord_Howe').toISOString()).toBe(
      '2024-10-05T15:30:00.000Z',
    );
  });

  it('a wall time repeated by fall back maps to its first occurrence', () => {
    // Madrid 2025-10-26: 02:00 happens at 00:00Z (CEST) and again at 01:00Z (CET).
    expect(zonedInstant('2025-10-26', 2, MADRID).toISOString()).toBe('2025-10-26T00:00:00.000Z');
    expect(zonedInstant('2025-10-26', 3, MADRID).toISOString()).toBe('2025-10-26T02:00:00.000Z');
    expect(zonedInstant('2025-11-02', 1, 'America/New_York').toISOString()).toBe('2025-11-02T05:00:00.000Z');
  });

  it('lands on the wall time when it exists, else right after a gap (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(
          MADRID,
          BOGOTA,
          KOLKATA,
          'America/New_York',
          'America/Santiago',
          'Australia/Lord_Howe',
        ),
        (dayOffset, hour, zone) => {
          const date = addDays('2024-01-01', dayOffset);
          const instant = zonedInstant(date, hour, zone);
          const wanted = Date.UTC(
            Number(date.slice(0, 4)),
            Number(date.slice(5, 7)) - 1,
            Number(date.slice(8, 10)),
            hour,
          );
          const wall = (d: Date) => {
            const t = localTime(d, zone);
            return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
          };
          const landed = wall(instant);
          // Either exactly the wall time, or the first instant after a gap that skipped it.
          if (landed !== wanted) {
            expect(landed).toBeGreaterThan(wanted);
            expect(wall(new Date(instant.getTime() - 1000))).toBeLessThan(wanted);
          }
          // No earlier instant (within a DST shift) shows the same wall time.
          for (const back of [30, 60, 120]) {
            expect(wall(new Date(instant.getTime() - back * 60_000))).not.toBe(landed);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('businessDayEnd', () => {
  it('is local midnight after the day plus resetHour hours', () => {
    expect(businessDayEnd('2025-06-01', MADRID, 3).toISOString()).toBe('2025-06-02T01:00:00.000Z');
    expect(businessDayEnd('2025-06-01', BOGOTA, 0).toISOString()).toBe('2025-06-02T05:00:00.000Z');
    expect(businessDayEnd('2025-06-01', KOLKATA, 23).toISOString()).toBe('2025-06-02T17:30:00.000Z');
  });

  it('ends each day exactly where businessDayOf moves to the next one, DST days included', () => {
    const cases: Array<[string, string, number]> = [];
    for (const zone of [MADRID, BOGOTA, KOLKATA, 'America/New_York', 'America/Santiago']) {
      for (const resetHour of [0, 3, 23]) {
        for (const day of [
          '2025-03-28',
          '2025-03-29',
          '2025-03-30',
          '2025-10-25',
          '2025-10-26',
          '2025-03-08',
          '2025-03-09',
          '2025-11-01',
          '2025-11-02',
          '2024-09-07',
          '2024-09-08',
          '2024-04-06',
        ]) {
          cases.push([zone, day, resetHour]);
        }
      }
    }
    for (const [zone, day, resetHour] of cases) {
      const end = businessDayEnd(day, zone, resetHour);
      const label = `${zone} ${day} resetHour ${resetHour} ends ${end.toISOString()}`;
      expect(businessDayOf(new Date(end.getTime() - 1), zone, resetHour), label).toBe(day);
      expect(businessDayOf(end, zone, resetHour), label).toBe(addDays(day, 1));
    }
  });

  it('DST days last 23 and 25 hours in Madrid', () => {
    const length = (day: string) =>
      (businessDayEnd(day, MADRID, 3).getTime() - businessDayEnd(addDays(day, -1), MADRID, 3).getTime()) / H;
    // The business day of 2025-03-30 starts at 02:00Z (midnight CET + 3 h), ends at 01:00Z next.
    expect(length('2025-03-29')).toBe(24);
    expect(length('2025-03-30')).toBe(23);
    expect(length('2025-10-25')).toBe(24);
    expect(length('2025-10-26')).toBe(25);
    expect(length('2025-06-01')).toBe(24);
  });
});

describe('addDays', () => {
  it('crosses months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2025-03-30', 0)).toBe('2025-03-30');
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names', () => {
    for (const zone of [
      MADRID,
      BOGOTA,
      KOLKATA,
      'UTC',
      'Etc/UTC',
      'Etc/GMT+5',
      'America/Argentina/Buenos_Aires',
      'America/Port-au-Prince',
      'EST5EDT',
    ]) {
      expect(isValidTimeZone(zone), zone).toBe(true);
    }
  });

  it('rejects anything else', () => {
    for (const zone of [
      '',
      'Mars/Olympus_Mons',
      'Europe/Madrid ',
      ' Europe/Madrid',
      '+01:00',
      '-05:00',
      'Europe/../Madrid',
      '../etc/passwd',
      'Europe/',
      'x'.repeat(300),
      'Europe/Madrid\u0000',
    ]) {
      expect(isValidTimeZone(zone), JSON.stringify(zone)).toBe(false);
    }
  });
});
