import { HISTOGRAM_FIGURE, type StatDelta, WAIT_BUCKET_EDGES } from './report-stats';

/**
 * Reports (docs/rules.md#reports), read side: turns the figures written per business day as tickets change
 * state (core/domain/report-stats.ts, `<figure>|<dimension>`) into Stats per group. Pure: the
 * aggregates may be live sources or day rollups in any mix, since a rollup is their merge.
 */

export const GROUP_BYS = ['day', 'queue', 'priority', 'counter', 'agent', 'hour'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The longest range of a report, counted in days inclusively. */
export const MAX_REPORT_DAYS = 366;

export interface Stats {
  issued: number;
  served: number;
  noShow: number;
  cancelled: number;
  expired: number;
  avgWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  maxWaitSeconds: number | null;
  avgServiceSeconds: number | null;
  withinTargetPct: number | null;
  /** Ratings customers gave the done tickets of the group (1–5), and their mean (null: none). */
  feedbackCount: number;
  avgRating: number | null;
}

export const STAT_FIELDS = [
  'issued',
  'served',
  'noShow',
  'cancelled',
  'expired',
  'avgWaitSeconds',
  'p90WaitSeconds',
  'maxWaitSeconds',
  'avgServiceSeconds',
  'withinTargetPct',
  'feedbackCount',
  'avgRating',
] as const satisfies readonly (keyof Stats)[];

export type ReportGroup = { key: string; label: string } & Stats;

export interface ReportBody {
  totals: Stats;
  groups: ReportGroup[];
}

/** Raw figures of one group: figure (`issued`, `waitSeconds`, `waitBucket3`, `maxWait`, …) → value. */
export type Figures = Record<string, number>;

/** The figures of one aggregate (a part of a business day, or a day's rollup). */
export interface DayAggregate {
  day: string;
  figures: StatDelta;
}

/** The dimension prefix each non-day grouping reads; `day` reads the total `t` of each day. */
const DIMENSION_PREFIX: Record<Exclude<GroupBy, 'day'>, string> = {
  queue: 'q:',
  priority: 'p:',
  counter: 'c:',
  agent: 'a:',
  hour: 'h:',
};

const TOTAL = 't';

/** Adds one figure: maxima keep the larger value, everything else adds up. */
export function addFigure(into: Figures, figure: string, value: number): void {
  into[figure] = figure === 'maxWait' ? Math.max(into[figure] ?? 0, value) : (into[figure] ?? 0) + value;
}

export function mergeFigures(into: Figures, from: Figures): Figures {
  for (const [figure, value] of Object.entries(from)) addFigure(into, figure, value);
  return into;
}

export interface CollectedFigures {
  totals: Figures;
  groups: Map<string, Figures>;
}

/**
 * One pass over the aggregates: the total dimension `t` makes the totals (and, per day, the day
 * groups); the grouping's own dimension makes the other groups. `groupBy` null: totals only.
 */
export function collectFigures(
  aggregates: Iterable<DayAggregate>,
  groupBy: GroupBy | null,
): CollectedFigures {
  const totals: Figures = {};
  const groups = new Map<string, Figures>();
  const groupOf = (key: string) => {
    let figures = groups.get(key);
    if (!figures) {
      figures = {};
      groups.set(key, figures);
    }
    return figures;
  };
  const prefix = groupBy && groupBy !== 'day' ? DIMENSION_PREFIX[groupBy] : undefined;
  for (const { day, figures } of aggregates) {
    for (const [name, value] of Object.entries(figures)) {
      const bar = name.indexOf('|');
      if (bar <= 0) continue;
      const figure = name.slice(0, bar);
      const dimension = name.slice(bar + 1);
      if (dimension === TOTAL) {
        addFigure(totals, figure, value);
        if (groupBy === 'day') addFigure(groupOf(day), figure, value);
      } else if (prefix && dimension.startsWith(prefix)) {
        addFigure(groupOf(dimension.slice(prefix.length)), figure, value);
      }
    }
  }
  return { totals, groups };
}

/** Wait histogram of figures: bucket index → count (buckets of report-stats' WAIT_BUCKET_EDGES). */
export function histogramOf(figures: Figures): number[] {
  const counts = new Array<number>(WAIT_BUCKET_EDGES.length + 1).fill(0);
  for (const [figure, value] of Object.entries(figures)) {
    if (!figure.startsWith(HISTOGRAM_FIGURE)) continue;
    const bucket = Number(figure.slice(HISTOGRAM_FIGURE.length));
    if (bucket < counts.length) counts[bucket]! += value;
  }
  return counts;
}

/**
 * p90 from a histogram: the bucket that holds the nearest-rank 90th percentile (the ⌈0.9 n⌉-th
 * smallest wait), read at the bucket's middle and clamped to [0, max]. The buckets are 30 s
 * wide up to 10 minutes and 20 % wide beyond, so this is within 15 s or 10 % of the exact
 * value. The open-ended last bucket reads as `max`. Null without any wait.
 */
export function p90FromHistogram(histogram: readonly number[], max: number): number | null {
  const n = histogram.reduce((sum, c) => sum + c, 0);
  if (n <= 0) return null;
  const rank = Math.ceil(0.9 * n);
  let seen = 0;
  for (let k = 0; k < histogram.length; k++) {
    seen += histogram[k]!;
    if (seen < rank) continue;
    if (k >= WAIT_BUCKET_EDGES.length) return max;
    const lower = k === 0 ? 0 : WAIT_BUCKET_EDGES[k - 1]!;
    const upper = WAIT_BUCKET_EDGES[k]!;
    return Math.min(Math.max(0, Math.round((lower + upper) / 2)), max);
  }
  return max;
}

/** Rounds half away from zero to 2 decimals (for figures that are never negative). */
export const round2 = (x: number) => Math.round((x + Number.EPSILON) * 100) / 100;

/** Stats of raw figures; a figure with no tickets behind it is null. */
export function statsOf(f: Figures): Stats {
  const waits = f.waits ?? 0;
  const services = f.services ?? 0;
  const max = f.maxWait ?? 0;
  const feedbacks = f.feedbacks ?? 0;
  return {
    issued: f.issued ?? 0,
    served: f.served ?? 0,
    noShow: f.noShow ?? 0,
    cancelled: f.cancelled ?? 0,
    expired: f.expired ?? 0,
    avgWaitSeconds: waits > 0 ? round2((f.waitSeconds ?? 0) / waits) : null,
    p90WaitSeconds: waits > 0 ? (p90FromHistogram(histogramOf(f), max) ?? max) : null,
    maxWaitSeconds: waits > 0 ? max : null,
    avgServiceSeconds: services > 0 ? round2((f.serviceSeconds ?? 0) / services) : null,
    withinTargetPct: waits > 0 ? round2(((f.waitsWithinTarget ?? 0) / waits) * 100) : null,
    feedbackCount: feedbacks,
    avgRating: feedbacks > 0 ? round2((f.ratingSum ?? 0) / feedbacks) : null,
  };
}

const hasAnyFigure = (f: Figures) => Object.values(f).some((v) => v !== 0);

/** `09` → `09:00–10:00`; the last hour ends at `24:00`. */
export function hourLabel(hour: string): string {
  const h = Number(hour);
  return `${hour}:00–${String(h + 1).padStart(2, '0')}:00`;
}

/** Which names a grouping's labels come from (day and hour need none). */
export type LabelKind = 'queue' | 'counter' | 'priority' | 'agent';

export function labelKindOf(groupBy: GroupBy): LabelKind | undefined {
  return groupBy === 'day' || groupBy === 'hour' ? undefined : groupBy;
}

/**
 * Stats per group, labelled and sorted: days and hours by key (label = the date, or the hour
 * range); the others by label, then id. A group whose id has no known name is labelled with
 * the id itself. Only groups with some figure are listed.
 */
export function buildReport(
  aggregates: Iterable<DayAggregate>,
  groupBy: GroupBy,
  names: ReadonlyMap<string, string> = new Map(),
): ReportBody {
  const { totals, groups } = collectFigures(aggregates, groupBy);
  const labelOf = (key: string) =>
    groupBy === 'day' ? key : groupBy === 'hour' ? hourLabel(key) : (names.get(key) ?? key);
  const byKey = groupBy === 'day' || groupBy === 'hour';
  const rows = [...groups]
    .filter(([, figures]) => hasAnyFigure(figures))
    .map(([key, figures]) => ({ key, label: labelOf(key), ...statsOf(figures) }))
    .sort((a, b) =>
      byKey
        ? a.key.localeCompare(b.key)
        : a.label.localeCompare(b.label) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
  return { totals: statsOf(totals), groups: rows };
}

// ---- Dates and ranges

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` naming a real calendar day (no 2026-02-30, no month 13). */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Days from `from` to `to`, both included (1 when equal). */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Why a range cannot be reported, or undefined when it can. Assumes calendar dates. */
export function rangeProblem(from: string, to: string): string | undefined {
  if (from > to) return 'from must not be after to';
  if (daysInclusive(from, to) > MAX_REPORT_DAYS) return `The range may span at most ${MAX_REPORT_DAYS} days`;
  return undefined;
}

// ---- CSV

export const CSV_COLUMNS = ['key', 'label', ...STAT_FIELDS] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
 * leading `'` (OWASP CSV injection advice) — labels are names any setup user can type.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV: header, one row per group, then the `total` row; CRLF line ends. */
export function reportCsv(report: ReportBody): string {
  const row = (key: string, label: string, stats: Stats) =>
    [csvField(key), csvField(label), ...STAT_FIELDS.map((f) => csvField(stats[f]))].join(',');
  const lines = [
    CSV_COLUMNS.join(','),
    ...report.groups.map((g) => row(g.key, g.label, g)),
    row('total', 'Total', report.totals),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
