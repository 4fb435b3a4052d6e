/**
 * Balance (reassign `mode: "balance"`): move the most recently arrived ticket of a longest
 * queue to a shortest one until their waiting counts differ by at most one.
 */

/**
 * The moves balance makes from these waiting counts, in order, as [from, to] indexes into
 * `counts` — at most `limit` of them. Among equally long queues the last gives, among equally
 * short ones the first receives. A queue that receives never gives later (it stays within one
 * of the shortest), so each giver's moves take its own latest arrivals, newest first.
 */
export function balanceMoves(
  counts: readonly number[],
  limit = Number.POSITIVE_INFINITY,
): Array<[number, number]> {
  const c = [...counts];
  const moves: Array<[number, number]> = [];
  while (moves.length < limit && c.length > 1) {
    let longest = 0;
    let shortest = 0;
    for (let i = 1; i < c.length; i++) {
      if (c[i]! >= c[longest]!) longest = i;
      if (c[i]! < c[shortest]!) shortest = i;
    }
    if (c[longest]! - c[shortest]! <= 1) break;
    c[longest] = c[longest]! - 1;
    c[shortest] = c[shortest]! + 1;
    moves.push([longest, shortest]);
  }
  return moves;
}
