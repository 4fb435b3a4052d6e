import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayAggregateOf } from '#core/adapters/dynamo/items/aggregate';
import { branchReportQuery, summaryQuery } from '#core/contract/schemas/requests/reports';
import {
  buildReport,
  CSV_COLUMNS,
  collectFigures,
  csvField,
  daysInclusive,
  hourLabel,
  isCalendarDate,
  mergeFigures,
  p90FromHistogram,
  rangeProblem,
  reportCsv,
  STAT_FIELDS,
  statsOf,
} from '#core/domain/report';
import { histogramFigure, WAIT_BUCKET_EDGES, waitBucket } from '#core/domain/report-stats';
import { parseCsv } from '#tests/support/csv';
import { NO_TICKETS_STATS, REPORT_CSV_HEADER } from '#tests/support/rules';

/** The attributes one first call adds to a stored aggregate, for the dimensions given. */
function waitAttributes(dims: string[], seconds: number, within: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of dims) {
    out[`wN|${d}`] = 1;
    out[`wSum|${d}`] = seconds;
    if (within) out[`wIn|${d}`] = 1;
    out[`wH${waitBucket(seconds)}|${d}`] = 1;
    out[`wMax|${d}`] = seconds;
  }
  return out;
}

const exactP90 = (waits: number[]) => {
  const sorted = [...waits].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1]!;
};

describe('dates and ranges', () => {
  it('accepts only real calendar dates', () => {
    for (const ok of ['2026-01-01', '2024-02-29', '2026-12-31', '2000-02-29'])
      expect(isCalendarDate(ok), ok).toBe(true);
    for (const bad of [
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-1-01',
      '20260101',
      '',
      '2026-01-01T00:00:00Z',
      '1900-02-29',
    ])
      expect(isCalendarDate(bad), bad).toBe(false);
  });

  it('counts days inclusively and allows at most 366', () => {
    expect(daysInclusive('2026-03-01', '2026-03-01')).toBe(1);
    expect(daysInclusive('2026-03-28', '2026-03-30')).toBe(3); // across a DST change
    expect(daysInclusive('2024-01-01', '2024-12-31')).toBe(366);
    expect(rangeProblem('2024-01-01', '2024-12-31')).toBeUndefined();
    expect(rangeProblem('2025-01-01', '2026-01-01')).toBeUndefined(); // 366 days
    expect(rangeProblem('2025-01-01', '2026-01-02')).toMatch(/366/); // 367 days
    expect(rangeProblem('2026-01-02', '2026-01-01')).toMatch(/after/);
  });

  it('validates the report query: defaults, enums, calendar dates, range, unknown fields', () => {
    expect(branchReportQuery().parse({ from: '2026-01-01', to: '2026-01-31' })).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      groupBy: 'day',
      format: 'json',
    });
    const bad = [
      { from: '2026-01-02', to: '2026-01-01' },
      { from: '2025-01-01', to: '2026-01-02' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2026-1-1', to: '2026-03-01' },
      { from: '2026-01-01', to: '2026-01-02', groupBy: 'week' },
      { from: '2026-01-01', to: '2026-01-02', format: 'xml' },
      { from: '2026-01-01', to: '2026-01-02', extra: '1' },
      { from: '2026-01-01' },
    ];
    for (const q of bad) expect(branchReportQuery().safeParse(q).success, JSON.stringify(q)).toBe(false);
    // A malformed date reports one error, not a second "not a calendar date" for the same field.
    expect(branchReportQuery().safeParse({ from: 'x', to: '2026-01-01' }).error?.issues).toHaveLength(1);
    expect(summaryQuery().safeParse({ from: '2026-01-01', to: '2026-01-01' }).success).toBe(true);
    expect(summaryQuery().safeParse({ from: '2026-01-01', to: '2026-01-01', groupBy: 'day' }).success).toBe(
      false,
    );
  });
});

describe('merging aggregate items', () => {
  // As stored (core/adapters/dynamo/items/aggregate.ts), and read back into figures.
  const items = [
    {
      pk: 'x',
      sk: '2026-03-02#Q#Q1#3',
      v: 7,
      'iss|t': 2,
      'iss|q:Q1': 2,
      'iss|p:P1': 2,
      'iss|h:09': 2,
    },
    {
      pk: 'x',
      sk: '2026-03-02#Q#Q1#5',
      v: 1,
      'iss|t': 1,
      'iss|q:Q1': 1,
      'iss|p:P1': 1,
      'iss|h:10': 1,
      'can|t': 1,
      'can|q:Q1': 1,
    },
    {
      pk: 'x',
      sk: '2026-03-02#C#C1',
      v: 3,
      'iss|c:C1': 2,
      'iss|a:U1': 2,
      ...waitAttributes(['t', 'q:Q1', 'p:P1', 'h:09', 'c:C1', 'a:U1'], 100, true),
      'wN|t': 2,
      'wSum|t': 400,
      'wH4|t': 1,
      'wMax|t': 300,
      'srv|t': 1,
      'sN|t': 1,
      'sSum|t': 61,
      'srv|q:Q1': 1,
      'sN|q:Q1': 1,
      'sSum|q:Q1': 61,
    },
    // A closed day's rollup: the same attribute format, maxima already maximised.
    {
      pk: 'x',
      sk: '2026-03-01#R#01ABC',
      v: 1,
      'iss|t': 4,
      'iss|q:Q2': 4,
      'wN|t': 1,
      'wSum|t': 50,
      'wMax|t': 50,
      'wH1|t': 1,
      'wMax|q:Q2': 50,
    },
  ].map(dayAggregateOf);

  it('sums counters, maximises the longest wait, ignores keys and versions', () => {
    const { totals } = collectFigures(items, null);
    expect(totals).toEqual({
      issued: 7,
      cancelled: 1,
      waits: 3,
      waitSeconds: 450,
      waitsWithinTarget: 1,
      [histogramFigure(waitBucket(100))]: 1,
      waitBucket4: 1,
      waitBucket1: 1,
      maxWait: 300,
      served: 1,
      services: 1,
      serviceSeconds: 61,
    });
  });

  it('groups by day from the total dimension, and by the grouping’s own dimension otherwise', () => {
    const byDay = collectFigures(items, 'day').groups;
    expect([...byDay.keys()].sort()).toEqual(['2026-03-01', '2026-03-02']);
    expect(byDay.get('2026-03-01')).toMatchObject({ issued: 4, maxWait: 50 });
    const byQueue = collectFigures(items, 'queue').groups;
    expect(byQueue.get('Q1')).toMatchObject({
      issued: 3,
      cancelled: 1,
      waits: 1,
      waitSeconds: 100,
      served: 1,
      serviceSeconds: 61,
    });
    expect(byQueue.get('Q2')).toEqual({ issued: 4, maxWait: 50 });
    const byAgent = collectFigures(items, 'agent').groups;
    expect([...byAgent.keys()]).toEqual(['U1']);
    expect(byAgent.get('U1')).toMatchObject({ issued: 2, waits: 1 });
    const byHour = collectFigures(items, 'hour').groups;
    expect(byHour.get('09')).toMatchObject({ issued: 2, waits: 1 });
    expect(byHour.get('10')).toMatchObject({ issued: 1 });
  });

  it('merges raw figures across branches (never averages of averages)', () => {
    const a = { waits: 1, waitSeconds: 10, maxWait: 10, issued: 1 };
    const b = { waits: 3, waitSeconds: 300, maxWait: 200, issued: 3 };
    const merged = mergeFigures(mergeFigures({}, a), b);
    expect(merged).toEqual({ waits: 4, waitSeconds: 310, maxWait: 200, issued: 4 });
    expect(statsOf(merged).avgWaitSeconds).toBe(77.5);
  });
});

describe('stats', () => {
  it('counts ratings and averages them to 2 decimals; null without any', () => {
    expect(statsOf({ served: 4, feedbacks: 3, ratingSum: 13 })).toMatchObject({
      feedbackCount: 3,
      avgRating: 4.33,
    });
    expect(statsOf({ served: 4 })).toMatchObject({ feedbackCount: 0, avgRating: null });
    // Merged from several aggregates (a day's shards, or days), ratings add up like counts.
    const merged = mergeFigures({ feedbacks: 1, ratingSum: 5 }, { feedbacks: 2, ratingSum: 4 });
    expect(statsOf(merged)).toMatchObject({ feedbackCount: 3, avgRating: 3 });
  });

  it('is null for figures with no tickets behind them', () => {
    expect(statsOf({})).toEqual(NO_TICKETS_STATS);
    const onlyIssued = statsOf({ issued: 3, cancelled: 1 });
    expect(onlyIssued).toMatchObject({
      issued: 3,
      cancelled: 1,
      avgWaitSeconds: null,
      avgServiceSeconds: null,
    });
  });

  it('rounds averages and percentages to 2 decimals', () => {
    const s = statsOf({
      waits: 3,
      waitSeconds: 100,
      waitsWithinTarget: 2,
      maxWait: 60,
      waitBucket1: 3,
      services: 3,
      serviceSeconds: 200,
    });
    expect(s.avgWaitSeconds).toBe(33.33);
    expect(s.withinTargetPct).toBe(66.67);
    expect(s.avgServiceSeconds).toBe(66.67);
    expect(s.maxWaitSeconds).toBe(60);
    expect(s.p90WaitSeconds).toBe(45); // middle of (30, 60]
    expect(statsOf({ waits: 8, waitSeconds: 1, waitsWithinTarget: 1, waitBucket0: 8 }).withinTargetPct).toBe(
      12.5,
    );
  });

  it('reads p90 at the middle of the nearest-rank bucket, clamped to the maximum', () => {
    const h = (pairs: Record<number, number>) => {
      const out = new Array(WAIT_BUCKET_EDGES.length + 1).fill(0);
      for (const [k, n] of Object.entries(pairs)) out[Number(k)] = n;
      return out;
    };
    expect(p90FromHistogram(h({}), 0)).toBeNull();
    expect(p90FromHistogram(h({ 0: 10 }), 20)).toBe(15);
    expect(p90FromHistogram(h({ 0: 10 }), 5)).toBe(5); // clamped to max
    // 10 waits: the 9th smallest decides.
    expect(p90FromHistogram(h({ 0: 8, 5: 1, 9: 1 }), 290)).toBe(165);
    expect(p90FromHistogram(h({ 0: 9, 9: 1 }), 290)).toBe(15);
    // The open-ended last bucket reads as the maximum.
    expect(p90FromHistogram(h({ [WAIT_BUCKET_EDGES.length]: 1 }), 99_999)).toBe(99_999);
  });

  it('keeps p90 within max(30 s, 10 %) of the exact nearest-rank p90', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 6 * 3600 })), {
          minLength: 1,
          maxLength: 300,
        }),
        (waits) => {
          const figures: Record<string, number> = {};
          for (const w of waits) {
            const figure = histogramFigure(waitBucket(w));
            figures[figure] = (figures[figure] ?? 0) + 1;
          }
          const max = Math.max(...waits);
          const p90 = p90FromHistogram(
            Array.from({ length: WAIT_BUCKET_EDGES.length + 1 }, (_, k) => figures[histogramFigure(k)] ?? 0),
            max,
          )!;
          const exact = exactP90(waits);
          expect(Math.abs(p90 - exact)).toBeLessThanOrEqual(Math.max(30, 0.1 * exact));
          expect(p90).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('buildReport', () => {
  const items = [
    { sk: '2026-03-03#Q#Q1#0', 'iss|t': 1, 'iss|q:Q1': 1, 'iss|h:14': 1 },
    { sk: '2026-03-02#Q#Q2#1', 'iss|t': 2, 'iss|q:Q2': 2, 'iss|h:09': 2 },
    { sk: '2026-03-02#Q#Q3#1', 'iss|t': 1, 'iss|q:Q3': 1, 'iss|h:23': 1 },
  ].map(dayAggregateOf);

  it('labels groups by name, falls back to the id, and sorts by label', () => {
    const report = buildReport(
      items,
      'queue',
      new Map([
        ['Q1', 'Zeta'],
        ['Q2', 'Alpha'],
      ]),
    );
    expect(report.groups.map((g) => [g.key, g.label, g.issued])).toEqual([
      ['Q2', 'Alpha', 2],
      ['Q3', 'Q3', 1],
      ['Q1', 'Zeta', 1],
    ]);
    expect(report.totals.issued).toBe(4);
  });

  it('lists days and hours by key, with dates and hour ranges as labels', () => {
    expect(buildReport(items, 'day').groups.map((g) => [g.key, g.label, g.issued])).toEqual([
      ['2026-03-02', '2026-03-02', 3],
      ['2026-03-03', '2026-03-03', 1],
    ]);
    expect(buildReport(items, 'hour').groups.map((g) => [g.key, g.label])).toEqual([
      ['09', '09:00–10:00'],
      ['14', '14:00–15:00'],
      ['23', '23:00–24:00'],
    ]);
    expect(hourLabel('00')).toBe('00:00–01:00');
  });

  it('is empty, with zero/null totals, when there is nothing', () => {
    const report = buildReport([], 'counter');
    expect(report.groups).toEqual([]);
    expect(report.totals).toEqual(statsOf({}));
  });
});

describe('CSV', () => {
  const report = buildReport(
    [
      {
        sk: '2026-03-02#C#C1',
        'iss|c:C1': 2,
        'iss|c:C2': 1,
        'wN|c:C1': 2,
        'wSum|c:C1': 61,
        'wIn|c:C1': 1,
        'wH1|c:C1': 2,
        'wMax|c:C1': 59,
        'sN|c:C1': 1,
        'srv|c:C1': 1,
        'sSum|c:C1': 30,
        'iss|t': 3,
      },
    ].map(dayAggregateOf),
    'counter',
    new Map([
      ['C1', 'Desk "A", left'],
      ['C2', '=HYPERLINK("x")'],
    ]),
  );

  it('has the exact header, a row per group and a total row; nulls are empty cells', () => {
    const text = reportCsv(report);
    expect(text.split('\r\n')[0]).toBe(REPORT_CSV_HEADER);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    // Sorted by label: punctuation before letters.
    expect(rows[1]).toEqual([
      'C2',
      '\'=HYPERLINK("x")',
      '1',
      '0',
      '0',
      '0',
      '0',
      '',
      '',
      '',
      '',
      '',
      '0',
      '',
    ]);
    expect(rows[2]).toEqual([
      'C1',
      'Desk "A", left',
      '2',
      '1',
      '0',
      '0',
      '0',
      '30.5',
      '45',
      '59',
      '30',
      '50',
      '0',
      '',
    ]);
    expect(rows[3]![0]).toBe('total');
    expect(rows[3]![1]).toBe('Total');
    expect(rows[3]!.slice(2)).toEqual(['3', '0', '0', '0', '0', '', '', '', '', '', '0', '']);
  });

  it('parses back to the JSON numbers', () => {
    const rows = parseCsv(reportCsv(report)).slice(1);
    const all = [...report.groups, { key: 'total', label: 'Total', ...report.totals }];
    rows.forEach((row, i) => {
      STAT_FIELDS.forEach((field, j) => {
        const cell = row[j + 2]!;
        expect(cell === '' ? null : Number(cell)).toBe(all[i]![field]);
      });
    });
  });

  it('quotes fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(null)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
  });
});
