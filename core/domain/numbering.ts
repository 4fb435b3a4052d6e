import { hasLeft, lastEntryOf, lineOf } from './positions';
import type { LineEntries, Numbering, QueueLive } from './setup';

/**
 * Ticket numbers per queue, business day and close epoch — issued together with the entry
 * number of the ticket's line (positions.ts) and its `queuedAt`, in one atomic step on the
 * queue's numbering: number order, entry order and `queuedAt` order agree.
 */

export interface Sequence {
  day: string;
  epoch: number;
}

/**
 * The sequence (business day, close epoch) a ticket issued now joins: its clock's business day
 * and the branch's close epoch — unless the queue's numbering has moved past them (a request
 * that read its clock just before the reset instant and writes after the new day's first
 * ticket): then the queue's. A request's clock never takes numbering back to an earlier day or epoch.
 */
export function sequenceFor(numbering: Numbering | null, day: string, epoch: number): Sequence {
  if (!numbering) return { day, epoch };
  return { day: numbering.day > day ? numbering.day : day, epoch: Math.max(numbering.epoch, epoch) };
}

/** The numbering is in `seq` already: the next ticket continues it (else it starts at 1). */
export const continues = (numbering: Numbering | null, seq: Sequence): numbering is Numbering =>
  !!numbering && numbering.day === seq.day && numbering.epoch === seq.epoch;

export const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / 60_000);

export interface Claim {
  /** The numbering after issuing the ticket. */
  numbering: Numbering;
  number: number;
  entry: number;
  queuedAt: string;
}

/**
 * Issuing one ticket of `rank` at `now`: its number, its entry in the line, and its `queuedAt`
 * — `now`, or the queue's last `queuedAt` when this clock is behind it.
 */
export function claimNext(numbering: Numbering | null, seq: Sequence, rank: number, now: Date): Claim {
  const at = now.toISOString();
  const queuedAt = numbering?.lastAt && numbering.lastAt > at ? numbering.lastAt : at;
  const line = numbering?.lines.get(rank) ?? { entered: 0, base: 0, lastAt: null, minutes: new Map() };
  const minute = minuteOf(queuedAt);
  const number = continues(numbering, seq) ? numbering.seq + 1 : 1;
  const lines = new Map<number, LineEntries>(numbering?.lines ?? []);
  lines.set(rank, {
    ...line,
    entered: line.entered + 1,
    lastAt: queuedAt,
    minutes: new Map(line.minutes).set(minute, (line.minutes.get(minute) ?? 0) + 1),
  });
  return {
    numbering: {
      ...seq,
      seq: number,
      version: (numbering?.version ?? 0) + 1,
      lastAt: queuedAt,
      lines,
    },
    number,
    entry: line.entered + 1,
    queuedAt,
  };
}

/** A reserved entry's ticket is written within this, or never (requests end within seconds). */
const QUIET_MS = 60_000;

/** A departure word of a line, now wholly at or below its base. */
export interface ForgottenWord {
  rank: number;
  shard: number;
  word: number;
}

/**
 * Moves each line's base past the entries that have left — and, when nobody waits in the line
 * and the queue handed out no entry for a minute, past all of them (an entry whose ticket was
 * never written holds no place) — and drops what was kept for the entries below: their minutes,
 * and the departure words to remove from the live shards. Issuing runs it on the numbering it
 * claims on condition, so the base never passes an entry whose ticket is still being written.
 */
export function tidy(
  numbering: Numbering,
  live: QueueLive,
  now: Date,
): { numbering: Numbering; forget: ForgottenWord[] } {
  const quiet = !numbering.lastAt || now.getTime() - Date.parse(numbering.lastAt) >= QUIET_MS;
  const lines = new Map<number, LineEntries>();
  const forget: ForgottenWord[] = [];
  for (const [rank, entries] of numbering.lines) {
    const line = lineOf({ numbering, live }, rank);
    let base = line.base;
    if (quiet && !live.waitingByRank.get(rank) && line.inserted.length === 0) base = line.entered;
    else while (base < line.entered && hasLeft(line, base + 1)) base++;
    lines.set(rank, { ...entries, base, minutes: minutesAbove(entries, base) });
    for (const key of line.left.keys()) {
      const [shard, word] = key.split(':').map(Number) as [number, number];
      if (lastEntryOf(shard, word) <= base) forget.push({ rank, shard, word });
    }
  }
  return { numbering: { ...numbering, lines }, forget };
}

/** The per-minute entry counts of the minutes holding entries above `base` (that may still wait). */
function minutesAbove(line: LineEntries, base: number): Map<number, number> {
  const kept = new Map<number, number>();
  let through = line.entered; // entries up to the end of the minute at hand
  for (const [minute, n] of [...line.minutes].sort((a, b) => b[0] - a[0])) {
    if (through <= base) break;
    kept.set(minute, n);
    through -= n;
  }
  return kept;
}
