import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aheadBound,
  compareCallOrder,
  effectiveRank,
  nextReorder,
  type Orderable,
  sortByCallOrder,
  waitingSortKey,
} from '#core/domain/call-order';

const MIN = 60_000;
const NOW = new Date('2025-06-02T10:00:00.000Z');
const ago = (minutes: number, now = NOW) => new Date(now.getTime() - minutes * MIN).toISOString();
const t = (id: string, rank: number, queuedAt: string): Orderable => ({ id, rank, queuedAt });

describe('effectiveRank', () => {
  it('is the rank minus one step per agingMinutes waited (floored)', () => {
    expect(effectiveRank(3, ago(0), NOW, 15)).toBe(3);
    expect(effectiveRank(3, ago(14.99), NOW, 15)).toBe(3);
    expect(effectiveRank(3, ago(15), NOW, 15)).toBe(2);
    expect(effectiveRank(3, ago(29.99), NOW, 15)).toBe(2);
    expect(effectiveRank(3, ago(30), NOW, 15)).toBe(1);
    expect(effectiveRank(3, ago(120), NOW, 15)).toBe(-5);
    expect(effectiveRank(5, ago(7), NOW, 1)).toBe(-2);
  });

  it('ages nothing when agingMinutes is 0', () => {
    expect(effectiveRank(3, ago(10_000), NOW, 0)).toBe(3);
  });

  it('never ages a ticket queued in the future (clock skew)', () => {
    expect(effectiveRank(3, new Date(NOW.getTime() + 20 * MIN).toISOString(), NOW, 15)).toBe(3);
  });
});

describe('compareCallOrder / sortByCallOrder', () => {
  it('orders by rank, then queuedAt, then id', () => {
    const items = [
      t('04', 3, ago(5)),
      t('03', 1, ago(1)),
      t('02', 3, ago(10)),
      t('01', 3, ago(5)),
      t('05', 1, ago(1)),
    ];
    expect(sortByCallOrder(items, NOW, 0).map((x) => x.id)).toEqual(['03', '05', '02', '01', '04']);
    expect(compareCallOrder(items[0]!, items[0]!, NOW, 0)).toBe(0);
  });

  it('does not mutate its input', () => {
    const items = [t('b', 2, ago(1)), t('a', 1, ago(1))];
    sortByCallOrder(items, NOW, 15);
    expect(items.map((x) => x.id)).toEqual(['b', 'a']);
  });

  it('lets a General ticket that waited long enough overtake a new Preferential one', () => {
    const general = t('G', 3, ago(30)); // effective 3 − 2 = 1
    const preferential = t('P', 1, ago(0)); // effective 1
    // Tie on effective rank: the earlier queuedAt wins.
    expect(sortByCallOrder([preferential, general], NOW, 15).map((x) => x.id)).toEqual(['G', 'P']);
    // One minute less: General is still at 2 and waits.
    const younger = t('G', 3, ago(29));
    expect(sortByCallOrder([younger, preferential], NOW, 15).map((x) => x.id)).toEqual(['P', 'G']);
    // Long enough, it beats even an older Preferential one.
    const oldest = t('G', 3, ago(46)); // 3 − 3 = 0
    const olderPref = t('P', 1, ago(14)); // 1
    expect(sortByCallOrder([olderPref, oldest], NOW, 15).map((x) => x.id)).toEqual(['G', 'P']);
  });

  it('with aging disabled, rank always wins', () => {
    const general = t('G', 3, ago(10_000));
    const preferential = t('P', 1, ago(0));
    expect(sortByCallOrder([general, preferential], NOW, 0).map((x) => x.id)).toEqual(['P', 'G']);
  });

  it('breaks effective-rank ties by queuedAt, then id', () => {
    const a = t('B', 2, ago(20)); // 2 − 1 = 1
    const b = t('A', 1, ago(10)); // 1
    const c = t('C', 1, ago(10)); // 1, same queuedAt as b
    expect(sortByCallOrder([c, b, a], NOW, 15).map((x) => x.id)).toEqual(['B', 'A', 'C']);
  });

  it('is a total order consistent with sorting (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.string({ minLength: 1, maxLength: 3 }),
            rank: fc.integer({ min: 1, max: 99 }),
            minutes: fc.integer({ min: 0, max: 600 }),
          }),
          { maxLength: 20 },
        ),
        fc.constantFrom(0, 1, 5, 15),
        (raw, aging) => {
          const items = raw.map((r) => t(r.id, r.rank, ago(r.minutes)));
          const sorted = sortByCallOrder(items, NOW, aging);
          for (let i = 1; i < sorted.length; i++) {
            expect(compareCallOrder(sorted[i - 1]!, sorted[i]!, NOW, aging)).toBeLessThanOrEqual(0);
            expect(compareCallOrder(sorted[i]!, sorted[i - 1]!, NOW, aging)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});

describe('aheadBound', () => {
  const ULID_CHARS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const id = fc.string({ unit: fc.constantFrom(...ULID_CHARS), minLength: 26, maxLength: 26 });
  const BASE = Date.parse('2025-06-02T08:00:00.000Z');
  // queuedAt within 8 hours, mostly whole minutes (boundaries of aging steps) but also any ms.
  const instant = fc.oneof(
    fc.integer({ min: 0, max: 480 }).map((m) => BASE + m * MIN),
    fc.integer({ min: 0, max: 480 * MIN }).map((ms) => BASE + ms),
  );
  const orderable = (rank: fc.Arbitrary<number>) =>
    fc.record({ id, rank, queuedAt: instant.map((ms) => new Date(ms).toISOString()) });

  it('bounds exactly the tickets of a rank partition that call-next takes first (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(orderable(fc.constant(0)), { maxLength: 25 }),
        orderable(fc.integer({ min: 1, max: 9 })),
        // now: from before the partition's arrivals to well after them
        fc.integer({ min: 0, max: 600 * MIN }).map((ms) => new Date(BASE + ms)),
        fc.constantFrom(0, 1, 15),
        fc.boolean(),
        (rank, members, ticket, now, aging, sameInstant) => {
          const partition = members.map((m) => ({
            ...m,
            rank,
            // Sometimes share the ticket's queuedAt, so that only the id decides.
            queuedAt: sameInstant && m.id < 'M' ? ticket.queuedAt : m.queuedAt,
          }));
          const bound = aheadBound(rank, ticket, now, aging);
          const below = partition.filter((m) => {
            if (bound === null) return true;
            return waitingSortKey(m.queuedAt, m.id) < bound;
          });
          const ahead = partition.filter((m) => compareCallOrder(m, ticket, now, aging) < 0);
          const ids = (xs: Orderable[]) => xs.map((x) => `${x.queuedAt}#${x.id}`).sort();
          expect(ids(below)).toEqual(ids(ahead));
          if (bound === '') expect(ahead).toEqual([]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('counts same-rank tickets queued after now (clock skew) by queuedAt and id (regression)', () => {
    // Both queued 1 ms "in the future" of the reader's clock: neither has aged, so the
    // smaller id is ahead. The bound used to stop at `now` and left it out.
    const future = new Date(NOW.getTime() + 1).toISOString();
    const ticket = t('0000000000000000000000000Y', 2, future);
    const other = t('00000000000000000000000000', 2, future);
    expect(compareCallOrder(other, ticket, NOW, 15)).toBeLessThan(0);
    const bound = aheadBound(2, ticket, NOW, 15);
    expect(bound !== null && waitingSortKey(other.queuedAt, other.id) < bound).toBe(true);
  });

  it('without aging: whole partition, none, or up to the ticket itself', () => {
    const ticket = t('X', 3, ago(5));
    expect(aheadBound(1, ticket, NOW, 0)).toBeNull();
    expect(aheadBound(5, ticket, NOW, 0)).toBe('');
    expect(aheadBound(3, ticket, NOW, 0)).toBe(waitingSortKey(ticket.queuedAt, 'X'));
  });
});

describe('nextReorder', () => {
  const SEC = 1_000;
  const firstIds = (items: Orderable[], at: number, aging: number, take: number) =>
    sortByCallOrder(items, new Date(at), aging)
      .slice(0, take)
      .map((i) => i.id)
      .join();

  it('is the first instant the first `take` change, found by scanning every second (or null: never)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            id: fc.string({ minLength: 1, maxLength: 3 }),
            rank: fc.integer({ min: 1, max: 6 }),
            // Whole seconds, up to 2 h ago, or up to 2 min ahead (clock skew): steps fall on seconds.
            seconds: fc.integer({ min: -120, max: 7_200 }),
          }),
          { selector: (r) => r.id, maxLength: 8 },
        ),
        fc.constantFrom(0, 1, 2, 5, 10),
        fc.integer({ min: 1, max: 5 }),
        (records, aging, take) => {
          const items = records.map((r) => t(r.id, r.rank, ago(r.seconds / 60)));
          const found = nextReorder(items, NOW, aging, take);
          const start = NOW.getTime();
          const current = firstIds(items, start, aging, take);
          // Past the latest arrival, orders repeat every period: three periods is plenty.
          const end = start + 120 * SEC + 3 * aging * MIN;
          let expected: number | null = null;
          for (let at = start + SEC; aging > 0 && at <= end; at += SEC) {
            if (firstIds(items, at, aging, take) !== current) {
              expected = at;
              break;
            }
          }
          expect(found?.getTime() ?? null).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is null for one rank partition: aging moves all its tickets alike', () => {
    const items = [t('a', 3, ago(14)), t('b', 3, ago(9)), t('c', 3, ago(1))];
    expect(nextReorder(items, NOW, 5, 5)).toBeNull();
  });

  it('ignores reorders beyond the first `take`', () => {
    // b (rank 3, queued 15 min ago: effective 2) overtakes c (rank 1, 1 min ago) at +5 min,
    // when both are at 1 and b arrived first; a (effective −2) stays first throughout.
    const items = [t('a', 1, ago(30)), t('b', 3, ago(15)), t('c', 1, ago(1))];
    expect(nextReorder(items, NOW, 10, 1)).toBeNull();
    expect(nextReorder(items, NOW, 10, 3)).toEqual(new Date(NOW.getTime() + 5 * MIN));
  });
});
