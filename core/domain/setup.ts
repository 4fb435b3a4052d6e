/** Organisation setup (docs/rules.md#organisation-setup) as the domain sees it. */

export type QueueStatus = 'open' | 'paused' | 'closed';

export interface Priority {
  id: string;
  name: string;
  rank: number;
  targetWaitMinutes: number;
  color: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Branch {
  id: string;
  name: string;
  timezone: string;
  resetHour: number;
  agingMinutes: number;
  address: string | null;
  /** BCP 47 tag of the customer screens and messages. */
  language: string;
  /** Whether the kiosk prints each ticket. */
  printTickets: boolean;
  /** A ticket that asked to be notified gets its `near` message at this position or better. */
  notifyAtPosition: number;
  remoteJoin: RemoteJoin;
  /** Hours after a ticket ends before its contact data is erased. */
  contactRetentionHours: number;
  /** Bumped by every close-day: part of the numbering key, so numbering restarts at 1. */
  closeEpoch: number;
  /** The last business day closed (manually or by the nightly job), or null. */
  lastClosedDay: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Whether customers may take a ticket from outside the branch, and how many such may wait at once. */
export interface RemoteJoin {
  enabled: boolean;
  maxWaiting: number | null;
}

export interface Queue {
  id: string;
  branchId: string;
  name: string;
  prefix: string;
  priorityId: string;
  /** Copies of the queue priority's rank and target, kept in step when the priority changes. */
  priorityRank: number;
  targetWaitMinutes: number;
  status: QueueStatus;
  description: string | null;
  /** Where the queue shows on the kiosk and join page (lower first; null: after those, by name). */
  displayOrder: number | null;
  createdAt: string;
  updatedAt: string;
}

/** Live figures of a queue, summed over its shards. */
export interface QueueLive {
  /** Waiting tickets per rank (only ranks with a non-zero count). */
  waitingByRank: Map<number, number>;
  serviceCount: number;
  serviceSeconds: number;
  /** Grows with every change to the queue's waiting tickets (also reorders that keep counts). */
  version: number;
  /** The same, per shard: a queue delete requires that none of them moved since it read them. */
  shardVersions: number[];
  /** Per rank, the departure side of the queue × rank line (see positions.ts). */
  lines: Map<number, LineDepartures>;
  /** When the queue's waiting tickets last changed (absent before the first change). */
  changedAt?: string;
}

/** Which entries of a line have left it, and which tickets were inserted into it. */
export interface LineDepartures {
  /** Departure marks: `<shard>:<word>` → a number whose bits are the entries that left. */
  left: Map<string, number>;
  /** Waiting sort keys (`queuedAt#id`) of the tickets moved into the line keeping a place. */
  inserted: string[];
}

export interface CounterCurrent {
  ticketId: string;
  code: string;
  status: 'called' | 'serving';
  calledAt: string;
}

export interface RecentCall {
  code: string;
  calledAt: string;
}

export interface Counter {
  id: string;
  branchId: string;
  name: string;
  queueIds: string[];
  allowStealing: boolean;
  current: CounterCurrent | null;
  /** The counter's last calls, newest first (at most 10): the board merges them. */
  recent: RecentCall[];
  /** Running maxima of first-call waits per business day and report dimension (see aggregates). */
  waitMax: Record<string, Record<string, number>>;
  /** Bumped by every call: call-next writes maxima computed from this exact revision. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** The entry side of a queue × rank line, kept with the queue's numbering (see positions.ts). */
export interface LineEntries {
  /** Entry numbers handed out so far: the last one. */
  entered: number;
  /** Every entry up to this one has left the line (or never became a ticket). */
  base: number;
  /** `queuedAt` of the last entry, or null. */
  lastAt: string | null;
  /** Entries per minute of their `queuedAt` (minute = ms ÷ 60,000), for minutes that may still wait. */
  minutes: Map<number, number>;
}

/**
 * The last number a queue handed out, and for which business day and close epoch; the queue's
 * clock (the last `queuedAt` issued) and the entry side of its lines.
 */
export interface Numbering {
  day: string;
  epoch: number;
  seq: number;
  /** Bumped by every write: issuing claims the next number on condition that it is unchanged. */
  version: number;
  /** `queuedAt` of the queue's last issued ticket: the next one never gets an earlier one. */
  lastAt: string | null;
  lines: Map<number, LineEntries>;
}

export interface BranchSetup {
  branch: Branch;
  /** `numbering` is null until the queue issues its first ticket. */
  queues: Array<Queue & { live: QueueLive; numbering: Numbering | null }>;
  counters: Counter[];
  /** The branch's waiting remote tickets (absent: none counted yet). */
  remoteWaiting?: number;
}

/** A queue's live figures before anything happened in it. */
export const emptyLive = (): QueueLive => ({
  waitingByRank: new Map(),
  serviceCount: 0,
  serviceSeconds: 0,
  version: 0,
  shardVersions: [],
  lines: new Map(),
});

export const DEFAULT_SERVICE_SECONDS = 300;

export function waitingCount(live: QueueLive): number {
  let total = 0;
  for (const n of live.waitingByRank.values()) total += n;
  return total;
}

export function avgServiceSeconds(live: QueueLive): number {
  return live.serviceCount > 0
    ? Math.round(live.serviceSeconds / live.serviceCount)
    : DEFAULT_SERVICE_SECONDS;
}
