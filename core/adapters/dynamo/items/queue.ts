import { LINE_SHARDS, markKey } from '#core/domain/positions';
import type { LineDepartures, LineEntries, Numbering, Queue, QueueLive } from '#core/domain/setup';
import { branchPartition } from './branch';

/** Queues, their live shards and numbering sort under the branch's SETUP_PREFIX. */
export const QUEUE_PREFIX = 'A#QUEUE#';

export const queueKey = (tenantId: string, branchId: string, queueId: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: `${QUEUE_PREFIX}${queueId}`,
});

/** Claim that keeps a queue prefix unique within its branch. */
export const prefixClaimKey = (tenantId: string, branchId: string, prefix: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: `PREFIX#${prefix}`,
});

/** `refs` index entry: queues that use a priority (priority delete → 409, rank changes propagate). */
export const priorityRef = (tenantId: string, priorityId: string) => `T#${tenantId}#PRIORITY#${priorityId}`;

export interface QueueItem extends Queue {
  pk: string;
  sk: string;
  type: 'queue';
  /** The priority `version` that priorityRank/targetWaitMinutes were copied from (older copies never win). */
  priorityVersion?: number;
  /** Live counters that list the queue among their own: a queue delete → 409 while > 0. */
  counterCount?: number;
  deletedAt?: string;
  refPk?: string;
  refSk?: string;
}

export function queueFromItem(item: Record<string, unknown>): Queue {
  const i = item as unknown as QueueItem;
  return {
    id: i.id,
    branchId: i.branchId,
    name: i.name,
    prefix: i.prefix,
    priorityId: i.priorityId,
    priorityRank: i.priorityRank,
    targetWaitMinutes: i.targetWaitMinutes,
    status: i.status,
    description: i.description ?? null,
    displayOrder: i.displayOrder ?? null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

/**
 * Live figures of a queue are spread over SHARDS items so that concurrent enqueues and calls
 * rarely touch the same item in their transactions. Each holds `w<rank>` waiting counts and
 * `svcN`/`svcSum` observed service (the truth is the sum over shards), `v` its change counter,
 * `changedAt` (the last change to waiting tickets it took; the queue's is the latest over shards),
 * and the departure side of the queue's lines: `d<rank>_<word>` departure marks of the entries
 * of the shard (entry mod SHARDS) and `i<rank>_<ticketId>` = queuedAt of each inserted ticket
 * (in the shard its id hashes to; see domain/positions.ts). `qs` mirrors the queue's status.
 */
export const QUEUE_SHARDS = LINE_SHARDS;

export const QUEUE_LIVE_PREFIX = 'A#QLIVE#';

export const queueLiveKey = (tenantId: string, branchId: string, queueId: string, shard: number) => ({
  pk: branchPartition(tenantId, branchId),
  sk: `${QUEUE_LIVE_PREFIX}${queueId}#${shard}`,
});

/** The queue and shard a live shard's sort key names. */
export function liveShardOf(sk: string): { queueId: string; shard: number } {
  const [queueId, shard] = sk.slice(QUEUE_LIVE_PREFIX.length).split('#') as [string, string];
  return { queueId, shard: Number(shard) };
}

export const randomShard = () => Math.floor(Math.random() * QUEUE_SHARDS);

const rankDigits = (rank: number) => String(rank).padStart(2, '0');

export const waitingAttribute = (rank: number) => `w${rankDigits(rank)}`;
export const departureAttribute = (rank: number, word: number) => `d${rankDigits(rank)}_${word}`;
export const insertedAttribute = (rank: number, ticketId: string) => `i${rankDigits(rank)}_${ticketId}`;

/**
 * The queue's status on every live shard: the transaction that puts a ticket into the queue
 * updates one of them anyway, and requires the status there (an absent one is `open`).
 */
export const QUEUE_STATUS = 'qs';

function departuresOf(live: QueueLive, rank: number): LineDepartures {
  let line = live.lines.get(rank);
  if (!line) {
    line = { left: new Map(), inserted: [] };
    live.lines.set(rank, line);
  }
  return line;
}

/** Adds shard `shard`'s item into `live`. */
export function addShard(live: QueueLive, item: Record<string, unknown>, shard: number): void {
  for (const [name, value] of Object.entries(item)) {
    if (name === 'changedAt' && typeof value === 'string') {
      if (!(live.changedAt && live.changedAt > value)) live.changedAt = value;
      continue;
    }
    if (typeof value === 'string') {
      const inserted = /^i(\d{2})_(.+)$/.exec(name);
      if (inserted) departuresOf(live, Number(inserted[1])).inserted.push(`${value}#${inserted[2]}`);
      continue;
    }
    if (typeof value !== 'number') continue;
    const rank = /^w(\d{2})$/.exec(name);
    const mark = /^d(\d{2})_(\d+)$/.exec(name);
    if (rank) {
      const r = Number(rank[1]);
      const total = (live.waitingByRank.get(r) ?? 0) + value;
      if (total === 0) live.waitingByRank.delete(r);
      else live.waitingByRank.set(r, total);
    } else if (mark) departuresOf(live, Number(mark[1])).left.set(markKey(shard, Number(mark[2])), value);
    else if (name === 'v') {
      live.version += value;
      live.shardVersions[shard] = value;
    } else if (name === 'svcN') live.serviceCount += value;
    else if (name === 'svcSum') live.serviceSeconds += value;
  }
}

/**
 * The queue's numbering: the last number handed out, with its business day and close epoch, the
 * queue's last `queuedAt` (`lastAt`) and version `v`, and per rank its line's entry side:
 * `e<rank>` entries handed out, `b<rank>` base, `l<rank>` last entry's queuedAt, and
 * `m<rank>_<n>` entries per minute, five minutes a number (three decimal digits each: the count
 * of minute 5n + k is digits 3k–3k+2, so a reservation adds 1000^k). It sorts under `A#`, so the
 * setup read that every enqueue does anyway also reads it, and the issuing transaction claims
 * the next number with a condition on it (no extra request).
 */
export const SEQUENCE_PREFIX = 'A#SEQ#';

export const sequenceKey = (tenantId: string, branchId: string, queueId: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: `${SEQUENCE_PREFIX}${queueId}`,
});

const MINUTES_PER_NUMBER = 5;

export const lineAttribute = (kind: 'e' | 'b' | 'l', rank: number) => `${kind}${rankDigits(rank)}`;

/** The attribute holding a minute's entry count, and what one entry adds to it. */
export function minuteAttribute(rank: number, minute: number): { name: string; unit: number } {
  return {
    name: `m${rankDigits(rank)}_${Math.floor(minute / MINUTES_PER_NUMBER)}`,
    unit: 1000 ** (minute % MINUTES_PER_NUMBER),
  };
}

export function numberingToItem(
  tenantId: string,
  branchId: string,
  queueId: string,
  n: Numbering,
): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...sequenceKey(tenantId, branchId, queueId),
    type: 'numbering',
    day: n.day,
    epoch: n.epoch,
    seq: n.seq,
    v: n.version,
    ...(n.lastAt && { lastAt: n.lastAt }),
  };
  for (const [rank, line] of n.lines) {
    item[lineAttribute('e', rank)] = line.entered;
    item[lineAttribute('b', rank)] = line.base;
    if (line.lastAt) item[lineAttribute('l', rank)] = line.lastAt;
    for (const [minute, count] of line.minutes) {
      const { name, unit } = minuteAttribute(rank, minute);
      item[name] = ((item[name] as number | undefined) ?? 0) + count * unit;
    }
  }
  return item;
}

export function numberingFromItem(item: Record<string, unknown>): Numbering {
  const lines = new Map<number, LineEntries>();
  const lineFor = (rank: number) => {
    let line = lines.get(rank);
    if (!line) {
      line = { entered: 0, base: 0, lastAt: null, minutes: new Map() };
      lines.set(rank, line);
    }
    return line;
  };
  for (const [name, value] of Object.entries(item)) {
    const field = /^([ebl])(\d{2})$/.exec(name);
    const minutes = /^m(\d{2})_(\d+)$/.exec(name);
    if (field) {
      const line = lineFor(Number(field[2]));
      if (field[1] === 'e') line.entered = value as number;
      else if (field[1] === 'b') line.base = value as number;
      else line.lastAt = value as string;
    } else if (minutes) {
      const line = lineFor(Number(minutes[1]));
      let rest = value as number;
      for (let k = 0; rest > 0; k++, rest = Math.floor(rest / 1000)) {
        if (rest % 1000 > 0) line.minutes.set(Number(minutes[2]) * MINUTES_PER_NUMBER + k, rest % 1000);
      }
    }
  }
  return {
    day: item.day as string,
    epoch: item.epoch as number,
    seq: item.seq as number,
    version: (item.v as number | undefined) ?? 0,
    lastAt: (item.lastAt as string | undefined) ?? null,
    lines,
  };
}
