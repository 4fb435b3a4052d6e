/**
 * The figures reports are made of, kept as flat counters `<figure>|<dimension>` per business day
 * and written in the same transactions that change tickets (docs/rules.md#reports). A dimension is `t` (total)
 * or `q:<queueId>`, `p:<priorityId>`, `c:<counterId>`, `a:<agentId>`, `h:<hour>`. (How they are
 * stored, under short attribute names, is the adapter's business: items/aggregate.ts.)
 *
 * Attribution (docs/decisions.md): a ticket is issued to its queue, priority and local hour of
 * issue; its wait is attributed at its first call to the queue, priority, counter and agent of
 * that call; its outcome and service time to where it ended. For counter and agent groups
 * `issued` counts the tickets they called first.
 */
export const FIGURES = [
  'issued',
  'served', // done
  'noShow',
  'cancelled',
  'expired',
  'waits', // waits measured (first calls)
  'waitSeconds',
  'waitsWithinTarget', // waits within the priority's target
  'maxWait', // the longest wait (set, not added)
  'services', // services measured (done)
  'serviceSeconds',
  'feedbacks', // ratings given (of done tickets)
  'ratingSum',
] as const;
export type Figure = (typeof FIGURES)[number];

export interface Dimensions {
  queueId: string;
  priorityId: string;
  hour: string;
  counterId?: string;
  agentId?: string;
}

export function dimensionKeys(d: Dimensions): string[] {
  const keys = ['t', `q:${d.queueId}`, `p:${d.priorityId}`, `h:${d.hour}`];
  if (d.counterId) keys.push(`c:${d.counterId}`);
  if (d.agentId) keys.push(`a:${d.agentId}`);
  return keys;
}

export const statName = (figure: string, dimension: string) => `${figure}|${dimension}`;

/**
 * Wait histogram edges in seconds: 30 s steps up to 10 minutes, then 20 % steps, so a p90
 * read at a bucket's middle is within 30 s or 10 % of the exact one, as reports promise
 * (docs/rules.md#reports). They reach a week — past any wait a business day allows (a ticket
 * waits at most until its day closes) — because the open-ended last bucket can only be read as
 * the maximum. Buckets nobody falls in cost nothing (aggregate attributes exist only once counted).
 */
export const WAIT_BUCKET_EDGES: readonly number[] = (() => {
  const edges: number[] = [];
  for (let s = 30; s <= 600; s += 30) edges.push(s);
  let e = 600;
  while (e < 7 * 86_400) {
    e = Math.round(e * 1.2);
    edges.push(e);
  }
  return edges;
})();

/** Bucket index of a wait: bucket k holds waits in (edge[k−1], edge[k]]; the last is open-ended. */
export function waitBucket(seconds: number): number {
  const i = WAIT_BUCKET_EDGES.findIndex((edge) => seconds <= edge);
  return i < 0 ? WAIT_BUCKET_EDGES.length : i;
}

/** The figure counting the waits of one histogram bucket: `waitBucket<k>`. */
export const HISTOGRAM_FIGURE = 'waitBucket';
export const histogramFigure = (bucket: number) => `${HISTOGRAM_FIGURE}${bucket}`;

export type StatDelta = Record<string, number>;

/** Adds `figure` += value for every dimension of `d`. */
export function addStat(into: StatDelta, figure: Figure | string, d: Dimensions, value = 1): StatDelta {
  for (const key of dimensionKeys(d)) {
    const name = statName(figure, key);
    into[name] = (into[name] ?? 0) + value;
  }
  return into;
}

/** Seconds between two ISO instants, rounded down, never negative. */
export function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 1000));
}

/**
 * Merges the figures of several aggregates (of one day, or rollups): counters add up, `maxWait|…`
 * keeps the largest. A day rollup is this merge.
 */
export function mergeAggregates(aggregates: Iterable<StatDelta>): StatDelta {
  const merged: StatDelta = {};
  for (const figures of aggregates) {
    for (const [name, value] of Object.entries(figures)) {
      merged[name] = name.startsWith('maxWait|')
        ? Math.max(merged[name] ?? 0, value)
        : (merged[name] ?? 0) + value;
    }
  }
  return merged;
}
