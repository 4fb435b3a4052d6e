/**
 * Call-next order (docs/rules.md#call-next): lowest effective rank, then earliest queuedAt, then
 * id. Effective rank = rank − ⌊minutes since queuedAt ÷ agingMinutes⌋ (no aging when 0).
 */
export interface Orderable {
  id: string;
  rank: number;
  queuedAt: string;
}

const MINUTE = 60_000;

export function effectiveRank(rank: number, queuedAt: string, now: Date, agingMinutes: number): number {
  if (agingMinutes <= 0) return rank;
  const waited = now.getTime() - Date.parse(queuedAt);
  return rank - Math.floor(Math.max(0, waited) / (agingMinutes * MINUTE));
}

export function compareCallOrder(a: Orderable, b: Orderable, now: Date, agingMinutes: number): number {
  return (
    effectiveRank(a.rank, a.queuedAt, now, agingMinutes) -
      effectiveRank(b.rank, b.queuedAt, now, agingMinutes) ||
    (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function sortByCallOrder<T extends Orderable>(
  items: readonly T[],
  now: Date,
  agingMinutes: number,
): T[] {
  return [...items].sort((a, b) => compareCallOrder(a, b, now, agingMinutes));
}

/** The waiting-index sort key: arrival, then id. Within one rank partition this IS call order. */
export const waitingSortKey = (queuedAt: string, id: string) => `${queuedAt}#${id}`;

/**
 * Within a partition of rank `rank`, the tickets that call-next would take before `ticket`
 * form a prefix in waiting-sort-key order: those whose key is below the returned bound.
 * (Aging only ever lowers the effective rank of older tickets, so "ahead" is monotone in
 * arrival.) Returns null when the whole partition is ahead.
 */
export function aheadBound(rank: number, ticket: Orderable, now: Date, agingMinutes: number): string | null {
  const own = waitingSortKey(ticket.queuedAt, ticket.id);
  if (agingMinutes <= 0) {
    if (rank < ticket.rank) return null;
    return rank === ticket.rank ? own : '';
  }
  const eff = effectiveRank(ticket.rank, ticket.queuedAt, now, agingMinutes);
  const step = agingMinutes * MINUTE;
  // Tickets queued at or before t1 have a lower effective rank; between t1 and t2 the same one.
  const t2 = now.getTime() - (rank - eff) * step;
  const t1 = t2 - step;
  const keyAt = (ms: number) => `${new Date(ms).toISOString()}#~`;
  if (t1 >= now.getTime()) return null;
  // Bound = max(key(t1), min(key(t2), own)); string keys, so no Math.min/max. In the ticket's
  // own effective rank, tickets queued after `now` (clock skew) have not aged either: no t2 cap.
  const [sameRankBound] = rank === eff ? [own] : [own, keyAt(t2)].sort();
  const [, bound] = [keyAt(t1), sameRankBound!].sort();
  return bound!;
}

/**
 * The first instant after `now` at which aging changes the first `take` of `items` in call
 * order, or null when it never does (no aging, or an order that aging cannot change). Effective
 * ranks only step at queuedAt + k × agingMinutes, so the order holds between those instants;
 * and once both are queued, two tickets' effective ranks differ by a figure that repeats every
 * agingMinutes — so a change that has not come within one period after the latest arrival
 * never comes.
 */
export function nextReorder(
  items: readonly Orderable[],
  now: Date,
  agingMinutes: number,
  take: number,
): Date | null {
  if (agingMinutes <= 0 || items.length < 2) return null;
  const step = agingMinutes * MINUTE;
  const start = now.getTime();
  const queued = items.map((i) => Date.parse(i.queuedAt));
  const horizon = Math.max(start, ...queued) + step;
  const firstAt = (at: number) =>
    sortByCallOrder(items, new Date(at), agingMinutes)
      .slice(0, take)
      .map((i) => i.id)
      .join();
  const steps = new Set<number>();
  for (const q of queued) {
    for (let k = Math.max(1, Math.floor((start - q) / step) + 1); q + k * step <= horizon; k++) {
      steps.add(q + k * step);
    }
  }
  const current = firstAt(start);
  const change = [...steps].sort((a, b) => a - b).find((at) => firstAt(at) !== current);
  return change === undefined ? null : new Date(change);
}
