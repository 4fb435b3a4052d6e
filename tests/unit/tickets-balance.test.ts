import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceMoves } from '#core/domain/balance';

describe('balanceMoves', () => {
  it('moves from a longest queue to a shortest until the counts differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 0, max: 400 }),
        (counts, limit) => {
          const all = balanceMoves(counts);
          const c = [...counts];
          for (const [from, to] of all) {
            expect(c[from]).toBe(Math.max(...c));
            expect(c[to]).toBe(Math.min(...c));
            expect(c[from]! - c[to]!).toBeGreaterThanOrEqual(2);
            c[from]!--;
            c[to]!++;
          }
          expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
          // A queue that receives never gives afterwards: givers move their own latest arrivals.
          const receivers = new Set<number>();
          for (const [from, to] of all) {
            expect(receivers.has(from)).toBe(false);
            receivers.add(to);
          }
          // A limit takes a prefix of the same moves.
          expect(balanceMoves(counts, limit)).toEqual(all.slice(0, limit));
        },
      ),
    );
  });

  it('moves nothing when balanced', () => {
    expect(balanceMoves([3, 4, 4])).toEqual([]);
    expect(balanceMoves([250, 0])).toHaveLength(125);
  });
});
