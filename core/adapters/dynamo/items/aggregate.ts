import type { DayAggregate } from '#core/domain/report';
import { type Figure, HISTOGRAM_FIGURE, type StatDelta } from '#core/domain/report-stats';
import type { StatScope } from '#core/domain/ticket-changes';

/**
 * Report aggregates of a branch live in their own partition, sorted by business day first,
 * so any date range of any report is one Query. Items: `<day>#Q#<queue>#<shard>` (issues and
 * waiting-ticket outcomes, 8 shards against contention), `<day>#C#<counter>` (everything a
 * counter does) and `<day>#R#<id>` (a closed day's rollup, in parts).
 */
export const aggregatePartition = (tenantId: string, branchId: string) => `T#${tenantId}#B#${branchId}#AGG`;

export const AGGREGATE_SHARDS = 8;

export const queueDayKey = (
  tenantId: string,
  branchId: string,
  day: string,
  queueId: string,
  shard: number,
) => ({
  pk: aggregatePartition(tenantId, branchId),
  sk: `${day}#Q#${queueId}#${shard}`,
});

export const counterDayKey = (tenantId: string, branchId: string, day: string, counterId: string) => ({
  pk: aggregatePartition(tenantId, branchId),
  sk: `${day}#C#${counterId}`,
});

/** Where a change's figures go: its counter's day item, or one of its queue's day shards (`random` picks it). */
export const statKey = (
  tenantId: string,
  branchId: string,
  { scope, day }: { scope: StatScope; day: string },
  random: () => number = Math.random,
) =>
  scope.kind === 'counter'
    ? counterDayKey(tenantId, branchId, day, scope.counterId)
    : queueDayKey(tenantId, branchId, day, scope.queueId, Math.floor(random() * AGGREGATE_SHARDS));

/** One part of a closed day's rollup: a day's figures may need several items. */
export const rollupKey = (tenantId: string, branchId: string, day: string, part: string) => ({
  pk: aggregatePartition(tenantId, branchId),
  sk: `${day}#R#${part}`,
});

export const isRollup = (sk: string) => /^\d{4}-\d{2}-\d{2}#R/.test(sk);

/** The business day an aggregate's sort key starts with. */
export const aggregateDayOf = (sk: string) => sk.slice(0, 10);

/** The sort keys of the business days `from` (the start when null) to `to`, both included. */
export const aggregateDays = (from: string | null, to: string) => ({
  from,
  // `~` sorts after every character of the keys (`<day>#Q#…`, `<day>#C#…`, `<day>#R#…`).
  to: `${to}~`,
});

/**
 * Figures are stored under short attribute names — every aggregate item holds one per figure and
 * dimension, and an item's size is what its writes cost — `<code>|<dimension>`, and the wait
 * histogram's `waitBucket<k>` as `wH<k>`. These names are the stored format: never rename one.
 */
const CODES: Record<Figure, string> = {
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
const HISTOGRAM_CODE = 'wH';
/** Codes back to figures, looked up once per stored attribute of every item a report reads. */
const FIGURE_OF_CODE = new Map(Object.entries(CODES).map(([figure, code]) => [code, figure]));
/** Renames the `<name>|<dimension>` keys of `values` by `rename` (names it does not know stay as they are). */
function renamed(values: Readonly<Record<string, unknown>>, rename: (name: string) => string | undefined) {
  const out: StatDelta = {};
  for (const [key, value] of Object.entries(values)) {
    const bar = key.indexOf('|');
    if (bar <= 0 || typeof value !== 'number') continue;
    const name = key.slice(0, bar);
    out[`${rename(name) ?? name}${key.slice(bar)}`] = value;
  }
  return out;
}

/** The attributes that store `figures`. */
export const statAttributes = (figures: StatDelta): StatDelta =>
  renamed(figures, (figure) =>
    figure.startsWith(HISTOGRAM_FIGURE)
      ? `${HISTOGRAM_CODE}${figure.slice(HISTOGRAM_FIGURE.length)}`
      : Object.hasOwn(CODES, figure)
        ? CODES[figure as Figure]
        : undefined,
  );

/** The figure key of a stored attribute name (null: not a figure), remembered: a report reads
 * the same few hundred names on each of hundreds of items. Bounded, as names carry ids. */
const figureKeys = new Map<string, string | null>();
function figureKeyOf(attribute: string): string | null {
  let key = figureKeys.get(attribute);
  if (key !== undefined) return key;
  const bar = attribute.indexOf('|');
  const code = bar > 0 ? attribute.slice(0, bar) : '';
  const figure =
    FIGURE_OF_CODE.get(code) ??
    (code.startsWith(HISTOGRAM_CODE) ? `${HISTOGRAM_FIGURE}${code.slice(HISTOGRAM_CODE.length)}` : undefined);
  key = figure === undefined ? (bar > 0 ? attribute : null) : `${figure}${attribute.slice(bar)}`;
  if (figureKeys.size >= 10_000) figureKeys.clear();
  figureKeys.set(attribute, key);
  return key;
}

/** The figures an aggregate item stores (its keys and version left out). */
export function figuresOf(item: Record<string, unknown>): StatDelta {
  const out: StatDelta = {};
  for (const attribute in item) {
    const value = item[attribute];
    if (typeof value !== 'number') continue;
    const key = figureKeyOf(attribute);
    if (key !== null) out[key] = value;
  }
  return out;
}

export const dayAggregateOf = (item: Record<string, unknown>): DayAggregate => ({
  day: aggregateDayOf(item.sk as string),
  figures: figuresOf(item),
});
