/**
 * Positions by brute force, from the rule alone (nothing imported from core/): the waiting
 * tickets of a queue sorted the way call-next takes them — lowest effective rank (rank −
 * ⌊minutes since queuedAt ÷ agingMinutes⌋), then earliest queuedAt, then id — and where the
 * implementation may differ from it by design (docs/decisions.md, "Positions").
 */

export interface WaitingTicket {
  id: string;
  rank: number;
  /** Epoch ms. */
  queuedAt: number;
  /**
   * Moved into its line (transferred or reassigned) and placed among its entries by sort key,
   * rather than holding an entry of its own: issued there, or "moved" within its own line
   * keeping its place.
   */
  inserted: boolean;
}

const MINUTE = 60_000;

export function effectiveRank(t: WaitingTicket, now: number, agingMinutes: number): number {
  if (agingMinutes === 0) return t.rank;
  return t.rank - Math.floor(Math.max(0, now - t.queuedAt) / (agingMinutes * MINUTE));
}

export function callOrder(a: WaitingTicket, b: WaitingTicket, now: number, agingMinutes: number): number {
  return (
    effectiveRank(a, now, agingMinutes) - effectiveRank(b, now, agingMinutes) ||
    a.queuedAt - b.queuedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** 1 + the tickets of `queue` that call-next takes before `t`. */
export function bruteForcePosition(
  queue: readonly WaitingTicket[],
  t: WaitingTicket,
  now: number,
  agingMinutes: number,
): number {
  return 1 + queue.filter((x) => x.id !== t.id && callOrder(x, t, now, agingMinutes) < 0).length;
}

/**
 * How far the implementation's position may be from the brute-force one:
 * - by the tickets of other ranks whose order against `t` changes somewhere within the minute
 *   of their queuedAt: there aging cuts their line, which positions count to the minute;
 * - for an inserted `t`, by tickets holding an entry of its line with the very same queuedAt
 *   and a lower id — issued after the move in the millisecond `t` was queued, which a frozen
 *   test clock does and a real one cannot.
 * 0 without aging or with one rank, for tickets never moved.
 */
export function positionSlack(
  queue: readonly WaitingTicket[],
  t: WaitingTicket,
  now: number,
  agingMinutes: number,
): number {
  const others = queue.filter((x) => x.id !== t.id);
  const cut = others.filter((x) => {
    if (agingMinutes === 0 || x.rank === t.rank) return false;
    const start = x.queuedAt - (x.queuedAt % MINUTE);
    const ahead = (queuedAt: number) => callOrder({ ...x, queuedAt }, t, now, agingMinutes) < 0;
    return ahead(start) !== ahead(start + MINUTE - 1);
  });
  const sameInstant = t.inserted
    ? others.filter((x) => !x.inserted && x.rank === t.rank && x.queuedAt === t.queuedAt && x.id < t.id)
    : [];
  return cut.length + sameInstant.length;
}
