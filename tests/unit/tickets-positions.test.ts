import fc from 'fast-check';
import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { ticketId } from '#core/domain/ids';
import { claimNext, sequenceFor, tidy } from '#core/domain/numbering';
import {
  departureMark,
  entriesBy,
  type Line,
  lastEntryOf,
  markKey,
  placeShard,
  waitingBelow,
} from '#core/domain/positions';
import { emptyLive, type Numbering } from '#core/domain/setup';

const MIN = 60_000;
const T0 = Date.parse('2026-03-10T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** The departure marks of `left`, laid out as the live shards keep them. */
function marks(left: Iterable<number>): Map<string, number> {
  const words = new Map<string, number>();
  for (const entry of left) {
    const { shard, word, bit } = departureMark(entry);
    const key = markKey(shard, word);
    words.set(key, (words.get(key) ?? 0) + 2 ** bit);
  }
  return words;
}

function line(entered: number, left: Iterable<number>, extra: Partial<Line> = {}): Line {
  return { entered, base: 0, lastAt: null, minutes: new Map(), left: marks(left), inserted: [], ...extra };
}

describe('departure marks', () => {
  it('give every entry its own bit; neighbours go to different shards', () => {
    const seen = new Set<string>();
    for (let entry = 1; entry <= 5_000; entry++) {
      const { shard, word, bit } = departureMark(entry);
      expect(bit).toBeGreaterThanOrEqual(0);
      expect(bit).toBeLessThan(50);
      expect(entry).toBeLessThanOrEqual(lastEntryOf(shard, word));
      seen.add(`${shard}:${word}:${bit}`);
      if (entry > 1) expect(shard).not.toBe(departureMark(entry - 1).shard);
    }
    expect(seen.size).toBe(5_000);
  });

  it('a full word is a sum of distinct powers of two that a JS number holds exactly', () => {
    const full = marks(Array.from({ length: 400 }, (_, i) => i)).get(markKey(0, 0))!;
    expect(full).toBe(2 ** 50 - 1);
    expect(Number.isSafeInteger(full)).toBe(true);
  });

  it('the shard of a place: its entry’s for an issued ticket, its id’s for an inserted one', () => {
    expect(placeShard({ entry: 17, inserted: false }, 'ANY')).toBe(1);
    const id = ticketId(T0, 3);
    expect(placeShard({ entry: 1, inserted: true }, id)).toBe(placeShard({ entry: 99, inserted: true }, id));
  });
});

describe('waitingBelow', () => {
  it('equals a brute-force count of the entries below a limit that have not left (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_500 }),
        fc.array(fc.integer({ min: 1, max: 1_500 }), { maxLength: 600 }),
        fc.integer({ min: 0, max: 1_600 }),
        fc.integer({ min: 0, max: 1_500 }),
        (entered, leaving, limit, baseSeed) => {
          const left = new Set(leaving.filter((e) => e <= entered));
          // A base only ever moves past entries that left.
          let base = 0;
          while (base < Math.min(baseSeed, entered) && left.has(base + 1)) base++;
          const brute = Array.from({ length: entered }, (_, i) => i + 1).filter(
            (e) => e > base && e < limit && !left.has(e),
          ).length;
          expect(waitingBelow(line(entered, left, { base }), limit)).toBe(brute);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('entriesBy', () => {
  // Entries at known instants: two in minute 0, three in minute 2, one in minute 5.
  const times = [
    T0 + 1_000,
    T0 + 50_000,
    T0 + 2 * MIN + 10,
    T0 + 2 * MIN + 20_000,
    T0 + 2 * MIN + 59_000,
    T0 + 5 * MIN,
  ];
  const minutes = new Map<number, number>();
  for (const t of times) minutes.set(Math.floor(t / MIN), (minutes.get(Math.floor(t / MIN)) ?? 0) + 1);
  const l = line(times.length, [], { minutes, lastAt: iso(times.at(-1)!) });
  const truth = (ms: number) => times.filter((t) => t <= ms).length;

  it('is exact at or after the last entry, and at minute boundaries', () => {
    expect(entriesBy(l, times.at(-1)!)).toBe(6);
    expect(entriesBy(l, T0 + 60 * MIN)).toBe(6);
    for (const m of [1, 3, 4]) expect(entriesBy(l, T0 + m * MIN + 30_000)).toBe(truth(T0 + m * MIN + 30_000));
    expect(entriesBy(l, T0 - 1)).toBe(0);
  });

  it('within a minute holding entries it is off by at most that minute’s entries (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MIN, max: 7 * MIN }), (offset) => {
        const ms = T0 + offset;
        const within = minutes.get(Math.floor(ms / MIN)) ?? 0;
        expect(Math.abs(entriesBy(l, ms) - truth(ms))).toBeLessThanOrEqual(within);
      }),
    );
  });
});

describe('numbering', () => {
  const numbering = (over: Partial<Numbering> = {}): Numbering => ({
    day: '2026-03-10',
    epoch: 0,
    seq: 7,
    version: 3,
    lastAt: iso(T0),
    lines: new Map([
      [3, { entered: 7, base: 0, lastAt: iso(T0), minutes: new Map([[Math.floor(T0 / MIN), 7]]) }],
    ]),
    ...over,
  });

  it('a request never takes numbering back to an earlier day or epoch', () => {
    const n = numbering({ day: '2026-03-10', epoch: 2 });
    expect(sequenceFor(n, '2026-03-09', 2)).toEqual({ day: '2026-03-10', epoch: 2 });
    expect(sequenceFor(n, '2026-03-10', 1)).toEqual({ day: '2026-03-10', epoch: 2 });
    expect(sequenceFor(n, '2026-03-11', 1)).toEqual({ day: '2026-03-11', epoch: 2 });
    expect(sequenceFor(n, '2026-03-10', 3)).toEqual({ day: '2026-03-10', epoch: 3 });
    expect(sequenceFor(null, '2026-03-09', 0)).toEqual({ day: '2026-03-09', epoch: 0 });
  });

  it('claims the next number and entry; 1 again in a new sequence; entries go on across days', () => {
    const n = numbering();
    const same = claimNext(n, { day: '2026-03-10', epoch: 0 }, 3, new Date(T0 + 5_000));
    expect(same).toMatchObject({ number: 8, entry: 8, queuedAt: iso(T0 + 5_000) });
    expect(same.numbering).toMatchObject({ seq: 8, version: 4, lastAt: iso(T0 + 5_000) });
    const nextDay = claimNext(n, { day: '2026-03-11', epoch: 0 }, 3, new Date(T0 + 5_000));
    expect(nextDay).toMatchObject({ number: 1, entry: 8 });
    const otherRank = claimNext(n, { day: '2026-03-10', epoch: 0 }, 2, new Date(T0 + 5_000));
    expect(otherRank).toMatchObject({ number: 8, entry: 1 });
    expect(otherRank.numbering.lines.get(3)!.entered).toBe(7);
  });

  it('queuedAt never goes back: a clock behind the queue’s takes the queue’s', () => {
    const behind = claimNext(numbering(), { day: '2026-03-10', epoch: 0 }, 3, new Date(T0 - 100));
    expect(behind.queuedAt).toBe(iso(T0));
    expect(behind.numbering.lines.get(3)!.minutes.get(Math.floor(T0 / MIN))).toBe(8);
  });

  it('tidy moves the base past entries that left, never past one that did not (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 900 }),
        fc.array(fc.integer({ min: 1, max: 900 }), { maxLength: 900 }),
        fc.integer({ min: 0, max: 120_000 }),
        (entered, leaving, sinceLast) => {
          const left = new Set(leaving.filter((e) => e <= entered));
          const lines = new Map([
            [3, { entered, base: 0, lastAt: iso(T0), minutes: new Map([[Math.floor(T0 / MIN), entered]]) }],
          ]);
          const live = emptyLive();
          const waiting = entered - left.size;
          if (waiting > 0) live.waitingByRank.set(3, waiting);
          live.lines.set(3, { left: marks(left), inserted: [] });
          const n = numbering({ lines, lastAt: iso(T0) });
          const { numbering: after, forget } = tidy(n, live, new Date(T0 + sinceLast));
          const { base } = after.lines.get(3)!;
          for (let e = 1; e <= base; e++) if (waiting > 0) expect(left.has(e)).toBe(true);
          if (waiting > 0 && base < entered) expect(left.has(base + 1)).toBe(false);
          if (waiting === 0 && sinceLast >= 60_000) expect(base).toBe(entered);
          for (const f of forget) expect(lastEntryOf(f.shard, f.word)).toBeLessThanOrEqual(base);
          // What is left counts the same: waiting entries below any limit are unchanged.
          const kept = new Map(marks(left));
          for (const f of forget) kept.delete(markKey(f.shard, f.word));
          const before = line(entered, left);
          const tidied = { ...before, base, left: kept };
          if (waiting > 0) expect(waitingBelow(tidied, entered + 1)).toBe(waitingBelow(before, entered + 1));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('ticket ids', () => {
  it('are ULIDs of their queuedAt that sort by queuedAt, then entry', () => {
    const ids = [ticketId(T0, 2), ticketId(T0, 10), ticketId(T0, 33), ticketId(T0 + 1, 1)];
    for (const id of ids) expect(isValid(id)).toBe(true);
    expect(decodeTime(ids[0]!)).toBe(T0);
    expect([...ids].sort()).toEqual(ids);
    expect(ticketId(T0, 5)).not.toBe(ticketId(T0, 5));
  });
});
