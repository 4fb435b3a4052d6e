import { aheadBound, waitingSortKey } from './call-order';
import type { LineDepartures, LineEntries, Numbering, QueueLive } from './setup';
import type { TicketRecord } from './ticket';

/**
 * Positions without counting tickets. Each queue × rank is a *line*: every ticket issued into it
 * takes the line's next *entry number* when it takes its ticket number (same atomic step), and
 * `queuedAt` never goes back within a queue while entry numbers grow — so among tickets issued
 * into a line, entry order is call order. What is kept per line:
 *
 * - with the queue's numbering: entry numbers handed out (`entered`), a `base` below which every
 *   entry has left, when the last entry was queued, and entries per minute of `queuedAt`;
 * - in the queue's live shards: a departure mark per entry that left (one bit, in a word of 50
 *   entries; entry e lives in shard e mod 8, so neighbours leave through different items), and
 *   the sort keys of the tickets moved in with their place kept (*inserted*): those are ordered
 *   by key, not by entry; each records the entry number of the first ticket after it.
 *
 * The tickets of a line ahead of a place are then the entries below it minus the marked ones,
 * plus the inserted keys below it: arithmetic over the branch read, whatever the position.
 * A ticket's place is exact in its own line and in lines that are wholly ahead or behind it.
 * When aging cuts another rank's line at an instant, the entries queued by then come from the
 * per-minute counts (see `entriesBy`): exact but for that line's entries in the cut's minute.
 */

/** A waiting ticket's place in its line. */
export interface Place {
  /** Entries numbered below this are ahead: the ticket's own entry, or — inserted — the first after it. */
  entry: number;
  /** Moved in keeping a place: ordered among the line's entries by its sort key. */
  inserted: boolean;
}

export type Line = LineEntries & LineDepartures;

export const LINE_SHARDS = 8;
const WORD_BITS = 50; // sums of distinct powers of two below 2^53: exact in a JS number
const MINUTE = 60_000;

const NO_ENTRIES: LineEntries = { entered: 0, base: 0, lastAt: null, minutes: new Map() };
const NO_DEPARTURES: LineDepartures = { left: new Map(), inserted: [] };

/** Where an entry's departure mark goes: its shard, the word within it, the bit within the word. */
export function departureMark(entry: number): { shard: number; word: number; bit: number } {
  const slot = Math.floor(entry / LINE_SHARDS);
  return { shard: entry % LINE_SHARDS, word: Math.floor(slot / WORD_BITS), bit: slot % WORD_BITS };
}

export const markKey = (shard: number, word: number) => `${shard}:${word}`;

/** The highest entry a departure word holds. */
export const lastEntryOf = (shard: number, word: number) =>
  (word * WORD_BITS + WORD_BITS - 1) * LINE_SHARDS + shard;

/** The shard of a queue's live figures that a ticket's place is counted in. */
export function placeShard(place: Place, ticketId: string): number {
  if (!place.inserted) return place.entry % LINE_SHARDS;
  let h = 0;
  for (const c of ticketId) h = (h * 31 + c.charCodeAt(0)) % 65_521;
  return h % LINE_SHARDS;
}

export function lineOf(
  queue: { numbering: Numbering | null; live: Pick<QueueLive, 'lines'> },
  rank: number,
): Line {
  return {
    ...(queue.numbering?.lines.get(rank) ?? NO_ENTRIES),
    ...(queue.live.lines.get(rank) ?? NO_DEPARTURES),
  };
}

/** The ranks whose lines may hold tickets. */
function ranksOf(queue: { numbering: Numbering | null; live: Pick<QueueLive, 'lines'> }): number[] {
  return [...new Set([...(queue.numbering?.lines.keys() ?? []), ...queue.live.lines.keys()])];
}

export function hasLeft(line: Line, entry: number): boolean {
  const { shard, word, bit } = departureMark(entry);
  return Math.floor((line.left.get(markKey(shard, word)) ?? 0) / 2 ** bit) % 2 === 1;
}

/** Entries e with lo < e < hi that have left. */
function leftBetween(line: Line, lo: number, hi: number): number {
  let n = 0;
  for (const [key, bits] of line.left) {
    const [shard, word] = key.split(':').map(Number) as [number, number];
    let rest = bits;
    for (let bit = 0; rest > 0; bit++, rest = Math.floor(rest / 2)) {
      const entry = (word * WORD_BITS + bit) * LINE_SHARDS + shard;
      if (rest % 2 === 1 && entry > lo && entry < hi) n++;
    }
  }
  return n;
}

/** Entries below `limit` that have not left: waiting, or about to (their ticket is being written). */
export function waitingBelow(line: Line, limit: number): number {
  const top = Math.min(limit, line.entered + 1);
  if (top <= line.base + 1) return 0;
  return top - line.base - 1 - leftBetween(line, line.base, top);
}

const keysBelow = (keys: readonly string[], bound: string) => keys.filter((k) => k < bound).length;

/**
 * Entries queued at or before `ms`. Exact when `ms` is at or after the last entry; otherwise
 * exact to the minute: the entries of the minute holding `ms` are taken as spread evenly over it.
 */
export function entriesBy(line: Line, ms: number): number {
  if (line.lastAt === null || ms >= Date.parse(line.lastAt)) return line.entered;
  const minute = Math.floor(ms / MINUTE);
  let through = line.entered; // entries up to the end of `minute`
  for (const [m, n] of line.minutes) if (m > minute) through -= n;
  const within = line.minutes.get(minute) ?? 0;
  const share = (ms - minute * MINUTE + 1) / MINUTE;
  return through - within + Math.round(share * within);
}

/**
 * Position = 1 + the waiting tickets of the same queue that call-next would call first.
 * In the ticket's own line those are the entries below its place and the inserted keys below
 * its key; in another rank's line, all, none, or — aging — those queued by a cut instant
 * (`aheadBound`).
 */
export function positionIn(
  queue: { numbering: Numbering | null; live: Pick<QueueLive, 'lines'> },
  ticket: TicketRecord,
  now: Date,
  agingMinutes: number,
): number {
  const place = ticket.place!;
  let ahead = 0;
  for (const rank of ranksOf(queue)) {
    const line = lineOf(queue, rank);
    if (rank === ticket.rank) {
      ahead +=
        waitingBelow(line, place.entry) +
        keysBelow(line.inserted, waitingSortKey(ticket.queuedAt, ticket.id));
      continue;
    }
    const bound = aheadBound(rank, ticket, now, agingMinutes);
    if (bound === '') continue;
    if (bound === null) {
      ahead += waitingBelow(line, Number.POSITIVE_INFINITY) + line.inserted.length;
      continue;
    }
    const cut = Date.parse(bound.slice(0, bound.indexOf('#')));
    ahead += waitingBelow(line, entriesBy(line, cut) + 1) + keysBelow(line.inserted, bound);
  }
  return 1 + ahead;
}
