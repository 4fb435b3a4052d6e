import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dayAggregateOf,
  figuresOf,
  queueDayKey,
  statAttributes,
} from '#core/adapters/dynamo/items/aggregate';
import {
  addStat,
  dimensionKeys,
  FIGURES,
  histogramFigure,
  mergeAggregates,
  secondsBetween,
  statName,
  WAIT_BUCKET_EDGES,
  waitBucket,
} from '#core/domain/report-stats';

/**
 * The p90 a report can read from a histogram: the bucket holding the nearest-rank p90 (the
 * ⌈0.9 n⌉-th smallest wait), read at its middle; the open-ended last bucket reads as the max.
 */
function p90FromHistogram(waits: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const w of waits) counts.set(waitBucket(w), (counts.get(waitBucket(w)) ?? 0) + 1);
  const rank = Math.ceil(0.9 * waits.length);
  let seen = 0;
  for (let k = 0; k <= WAIT_BUCKET_EDGES.length; k++) {
    seen += counts.get(k) ?? 0;
    if (seen < rank) continue;
    if (k === WAIT_BUCKET_EDGES.length) return Math.max(...waits);
    const lower = k === 0 ? 0 : WAIT_BUCKET_EDGES[k - 1]!;
    return (lower + WAIT_BUCKET_EDGES[k]!) / 2;
  }
  throw new Error('unreachable');
}

const exactP90 = (waits: readonly number[]) =>
  [...waits].sort((a, b) => a - b)[Math.ceil(0.9 * waits.length) - 1]!;

describe('WAIT_BUCKET_EDGES / waitBucket', () => {
  it('are strictly increasing, 30 s wide up to 10 minutes, then at most 20 % wider each', () => {
    for (let i = 1; i < WAIT_BUCKET_EDGES.length; i++) {
      expect(WAIT_BUCKET_EDGES[i]!).toBeGreaterThan(WAIT_BUCKET_EDGES[i - 1]!);
    }
    expect(WAIT_BUCKET_EDGES.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => 30 * (i + 1)));
    for (let i = 20; i < WAIT_BUCKET_EDGES.length; i++) {
      expect(WAIT_BUCKET_EDGES[i]! / WAIT_BUCKET_EDGES[i - 1]!).toBeLessThanOrEqual(1.2 + 1e-3);
    }
    // Long enough that no wait a business day allows falls in the open-ended last bucket.
    expect(WAIT_BUCKET_EDGES.at(-1)!).toBeGreaterThanOrEqual(2 * 86_400);
  });

  it('puts a wait in the bucket (edge[k−1], edge[k]], the last bucket open-ended', () => {
    expect(waitBucket(0)).toBe(0);
    expect(waitBucket(30)).toBe(0);
    expect(waitBucket(31)).toBe(1);
    expect(waitBucket(600)).toBe(19);
    expect(waitBucket(601)).toBe(20);
    const last = WAIT_BUCKET_EDGES.at(-1)!;
    expect(waitBucket(last)).toBe(WAIT_BUCKET_EDGES.length - 1);
    expect(waitBucket(last + 1)).toBe(WAIT_BUCKET_EDGES.length);
    expect(waitBucket(10 * 86_400)).toBe(WAIT_BUCKET_EDGES.length);
    expect(histogramFigure(waitBucket(45))).toBe('waitBucket1');
  });

  it('a p90 read at the middle of its bucket is within max(30 s, 10 %) of the exact one (property)', () => {
    const wait = fc.oneof(
      fc.integer({ min: 0, max: 900 }),
      fc.integer({ min: 0, max: 4 * 3600 }),
      fc.integer({ min: 0, max: 12 * 3600 }),
      // A ticket left waiting across a day whose close came late.
      fc.integer({ min: 0, max: 3 * 86_400 }),
    );
    fc.assert(
      fc.property(fc.array(wait, { minLength: 1, maxLength: 300 }), (waits) => {
        const exact = exactP90(waits);
        const approx = p90FromHistogram(waits);
        expect(Math.abs(approx - exact)).toBeLessThanOrEqual(Math.max(30, 0.1 * exact));
      }),
      { numRuns: 2000 },
    );
  });

  it('every single wait is within max(30 s, 10 %) of its bucket’s middle', () => {
    for (let w = 0; w <= WAIT_BUCKET_EDGES.at(-1)!; w++) {
      const k = waitBucket(w);
      const middle = ((k === 0 ? 0 : WAIT_BUCKET_EDGES[k - 1]!) + WAIT_BUCKET_EDGES[k]!) / 2;
      if (Math.abs(middle - w) > Math.max(30, 0.1 * w)) throw new Error(`wait ${w} in bucket ${k}`);
    }
  });
});

describe('stat names and dimensions', () => {
  it('adds a metric for total, queue, priority, hour and, when given, counter and agent', () => {
    const d = { queueId: 'Q', priorityId: 'P', hour: '09' };
    expect(dimensionKeys(d)).toEqual(['t', 'q:Q', 'p:P', 'h:09']);
    expect(dimensionKeys({ ...d, counterId: 'C', agentId: 'A' })).toEqual([
      't',
      'q:Q',
      'p:P',
      'h:09',
      'c:C',
      'a:A',
    ]);
    const into = addStat({}, 'waitSeconds', d, 40);
    addStat(into, 'waitSeconds', { ...d, queueId: 'R' }, 2);
    expect(into).toEqual({
      'waitSeconds|t': 42,
      'waitSeconds|q:Q': 40,
      'waitSeconds|q:R': 2,
      'waitSeconds|p:P': 42,
      'waitSeconds|h:09': 42,
    });
    expect(statName('issued', 'c:C')).toBe('issued|c:C');
  });
});

describe('stored figures (core/adapters/dynamo/items/aggregate.ts)', () => {
  // The attribute names aggregates have always been stored under: data written before keeps reading.
  const STORED = {
    issued: 'iss',
    served: 'srv',
    noShow: 'nos',
    cancelled: 'can',
    expired: 'exp',
    waits: 'wN',
    waitSeconds: 'wSum',
    waitsWithinTarget: 'wIn',
    maxWait: 'wMax',
    services: 'sN',
    serviceSeconds: 'sSum',
    feedbacks: 'fbN',
    ratingSum: 'fbSum',
  };

  it('keeps every figure under its stored attribute name, the histogram as wH<k>, both ways', () => {
    expect(Object.keys(STORED).sort()).toEqual([...FIGURES].sort());
    const figures = Object.fromEntries([
      ...FIGURES.map((f, i) => [`${f}|q:Q1`, i + 1]),
      [`${histogramFigure(7)}|t`, 3],
    ]);
    const stored = Object.fromEntries([...FIGURES.map((f, i) => [`${STORED[f]}|q:Q1`, i + 1]), ['wH7|t', 3]]);
    expect(statAttributes(figures)).toEqual(stored);
    const item = { ...queueDayKey('T1', 'B1', '2026-03-02', 'Q1', 3), v: 4, ...stored };
    expect(figuresOf(item)).toEqual(figures);
    expect(dayAggregateOf({ sk: '2026-03-02#C#C1', 'iss|t': 1 })).toEqual({
      day: '2026-03-02',
      figures: { 'issued|t': 1 },
    });
  });

  it('rolls a day up losslessly: a stored rollup is the merge of the stored items', () => {
    const items = [
      { sk: 'd#Q#Q1#0', v: 2, 'iss|t': 2, 'wMax|t': 40, 'wH2|t': 1, 'zz|t': 1 },
      { sk: 'd#C#C1', v: 5, 'iss|t': 1, 'wMax|t': 90, 'wH2|t': 2, 'zz|t': 2 },
    ];
    expect(statAttributes(mergeAggregates(items.map(figuresOf)))).toEqual({
      'iss|t': 3,
      'wMax|t': 90,
      'wH2|t': 3,
      'zz|t': 3,
    });
  });

  it('secondsBetween floors and never goes negative', () => {
    expect(secondsBetween('2025-06-02T08:00:00.000Z', '2025-06-02T08:00:59.999Z')).toBe(59);
    expect(secondsBetween('2025-06-02T08:00:00.000Z', '2025-06-02T08:10:00.000Z')).toBe(600);
    expect(secondsBetween('2025-06-02T08:00:01.000Z', '2025-06-02T08:00:00.000Z')).toBe(0);
  });
});
