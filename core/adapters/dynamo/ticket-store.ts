import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ServiceUnavailableError } from '#core/domain/errors';
import { minuteOf } from '#core/domain/numbering';
import { departureMark, placeShard } from '#core/domain/positions';
import type { TicketChange } from '#core/domain/ticket-changes';
import { type TicketStore, WriteConflict } from '#core/ports/tickets';
import { dynamo, tableName } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import { cancellationReasons, isConditionFailed, withContentionRetry } from './errors';
import { statAttributes, statKey } from './items/aggregate';
import { remoteWaitingKey } from './items/branch';
import { counterKey } from './items/counter';
import { priorityFromItem, priorityKey } from './items/priority';
import {
  departureAttribute,
  insertedAttribute,
  lineAttribute,
  minuteAttribute,
  numberingFromItem,
  numberingToItem,
  QUEUE_STATUS,
  queueLiveKey,
  randomShard,
  sequenceKey,
  waitingAttribute,
} from './items/queue';
import {
  dayIndexKeyOf,
  dayPartition,
  ticketFromItem,
  ticketKey,
  ticketToItem,
  waitingPartition,
} from './items/ticket';
import { type Expr, numberIs, updateOf } from './operations';
import { idempotencyKeyLost, outcomeRecord } from './outcome-record';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Reservations that find the queue's clock moved on by others, again and again, give up (503). */
const RESERVE_ATTEMPTS = 20;
/**
 * A ticket list reads at most this many items a request, however few of them its filter
 * keeps (about 1 MB, well inside a request's time); a filtered list reads them in pieces of
 * FILTERED_READ rather than `limit` at a time.
 */
const LIST_READ_BUDGET = 1_000;
const FILTERED_READ = 250;

/** The counter's side of a ticket change, conditioned on the counter being where the change expects. */
function counterUpdate(
  tenantId: string,
  branchId: string,
  c: NonNullable<TicketChange['counter']>,
  at: string,
) {
  const set: Record<string, unknown> = { recent: c.recent, waitMax: c.waitMax, updatedAt: at };
  if (c.current) Object.assign(set, { current: c.current, currentTicketId: c.current.ticketId });
  if (c.expectRevision !== undefined) set.revision = c.expectRevision + 1;
  return updateOf(counterKey(tenantId, branchId, c.counterId), {
    set,
    remove: c.current ? [] : ['current', 'currentTicketId'],
    condition: (x) =>
      [
        `attribute_not_exists(${x.name('deletedAt')})`,
        c.expectTicketId === null
          ? `attribute_not_exists(${x.name('currentTicketId')})`
          : `${x.name('currentTicketId')} = ${x.value(c.expectTicketId)}`,
        ...(c.expectRevision !== undefined ? [numberIs(x, 'revision', c.expectRevision)] : []),
      ].join(' AND '),
  });
}

/** What a ticket arriving in a queue requires of the queue's status (mirrored on its live shards). */
const ACCEPTS: Record<'issue' | 'transfer', string> = {
  issue: 'attribute_not_exists(#qs) OR #qs = :open',
  transfer: 'attribute_not_exists(#qs) OR NOT (#qs IN (:closed, :deleted))',
};

/**
 * The live-shard updates of a change (items/queue.ts): per queue, the shard of each ticket place
 * it touches gets the waiting count, the departure mark or the inserted key, merged into one
 * update per shard (a transaction may not touch one item twice). An arrival is conditioned on
 * the queue still accepting it; the forgotten departure words of the numbering are removed.
 */
function liveUpdates(
  tenantId: string,
  change: TicketChange,
): Array<{ update: ReturnType<typeof updateOf>; arrival?: 'issue' | 'transfer' }> {
  const { branchId } = change.ticket;
  interface ShardWrite {
    queueId: string;
    shard: number;
    add: Record<string, number>;
    set: Record<string, string>;
    remove: Set<string>;
    arrival?: 'issue' | 'transfer';
  }
  const shards = new Map<string, ShardWrite>();
  const shardOf = (queueId: string, shard: number) => {
    const key = `${queueId}#${shard}`;
    let write = shards.get(key);
    if (!write) {
      write = { queueId, shard, add: {}, set: {}, remove: new Set() };
      shards.set(key, write);
    }
    return write;
  };
  const add = (write: ShardWrite, attribute: string, amount: number) => {
    write.add[attribute] = (write.add[attribute] ?? 0) + amount;
  };
  const changed = new Set<string>();
  for (const w of change.waiting) {
    const write = shardOf(w.queueId, placeShard(w.place, w.ticketId));
    add(write, waitingAttribute(w.rank), w.delta);
    if (w.place.inserted) {
      const attribute = insertedAttribute(w.rank, w.ticketId);
      if (w.delta > 0) write.set[attribute] = w.key.slice(0, w.key.indexOf('#'));
      else write.remove.add(attribute);
    } else if (w.delta < 0) {
      const { word, bit } = departureMark(w.place.entry);
      add(write, departureAttribute(w.rank, word), 2 ** bit);
    }
    if (w.arrival) write.arrival = w.arrival;
    // `v` counts changes to the queue's waiting tickets, even when the counts net to zero
    // (a move to the back of the same queue): the board's ETag follows it.
    // `changedAt`: when the waiting index last had something to catch up with (call-next and
    // the board wait for it).
    if (!changed.has(w.queueId)) {
      add(write, 'v', 1);
      write.set.changedAt = change.ticket.updatedAt;
    }
    changed.add(w.queueId);
  }
  if (change.service) {
    const { queueId, seconds } = change.service;
    const write = [...shards.values()].find((x) => x.queueId === queueId) ?? shardOf(queueId, randomShard());
    add(write, 'svcN', 1);
    add(write, 'svcSum', seconds);
  }
  for (const f of change.numbering?.forget ?? []) {
    shardOf(change.numbering!.queueId, f.shard).remove.add(departureAttribute(f.rank, f.word));
  }
  return [...shards.values()].flatMap((write) => {
    // A ticket leaving and arriving in one shard (placed at the back of its own line) stays listed.
    for (const attribute of Object.keys(write.set)) write.remove.delete(attribute);
    const adds = Object.fromEntries(Object.entries(write.add).filter(([, amount]) => amount !== 0));
    if (!write.arrival && !Object.keys(adds).length && !Object.keys(write.set).length && !write.remove.size)
      return [];
    const update = updateOf(queueLiveKey(tenantId, branchId, write.queueId, write.shard), {
      add: adds,
      set: write.set,
      remove: [...write.remove],
    });
    if (!write.arrival) return [{ update }];
    return [
      {
        arrival: write.arrival,
        update: {
          ...update,
          ConditionExpression: ACCEPTS[write.arrival],
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#qs': QUEUE_STATUS },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ...(write.arrival === 'issue'
              ? { ':open': 'open' }
              : { ':closed': 'closed', ':deleted': 'deleted' }),
          },
        },
      },
    ];
  });
}

/** The items of a change's transaction, and which of them are conditioned (for telling what lost). */
export function transactItems(
  tenantId: string,
  change: TicketChange,
): { items: TransactItem[]; parts: Array<WriteConflict['part'] | undefined> } {
  const { ticket, previous } = change;
  const { branchId } = ticket;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: ticketToItem(tenantId, ticket),
        ...(previous
          ? {
              ConditionExpression: '#rev = :rev',
              ExpressionAttributeNames: { '#rev': 'rev' },
              ExpressionAttributeValues: { ':rev': previous.rev },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  ];
  const parts: Array<WriteConflict['part'] | undefined> = ['ticket'];
  if (change.counter) {
    parts.push('counter');
    items.push({
      Update: {
        ...counterUpdate(tenantId, branchId, change.counter, ticket.updatedAt),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
  }
  if (change.numbering) {
    const { queueId, expect, next } = change.numbering;
    parts.push('numbering');
    items.push({
      Put: {
        TableName: tableName(),
        Item: numberingToItem(tenantId, branchId, queueId, next),
        ...(expect
          ? {
              ConditionExpression: expect.version === 0 ? '(attribute_not_exists(#v) OR #v = :v)' : '#v = :v',
              ExpressionAttributeNames: { '#v': 'v' },
              ExpressionAttributeValues: { ':v': expect.version },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    });
  }
  for (const { update, arrival } of liveUpdates(tenantId, change)) {
    parts.push(arrival ? 'queue' : undefined);
    items.push({ Update: update });
  }

  if (change.remoteWaiting && change.remoteWaiting.delta !== 0) {
    const { delta, max } = change.remoteWaiting;
    const limited = delta > 0 && max !== undefined && max !== null;
    parts.push(limited ? 'remote' : undefined);
    items.push({
      Update: updateOf(remoteWaitingKey(tenantId, branchId), {
        add: { n: delta },
        ...(limited && {
          condition: (x: Expr) =>
            `attribute_not_exists(${x.name('n')}) OR ${x.name('n')} <= ${x.value(max - delta)}`,
        }),
      }),
    });
  }
  for (const stat of change.stats) {
    // `v` versions the item: a day rollup deletes a source only if nothing was added since it read it.
    const add = { ...statAttributes(stat.add), v: 1 };
    const set = stat.set && statAttributes(stat.set);
    items.push({ Update: updateOf(statKey(tenantId, branchId, stat), { add, set }) });
    parts.push(undefined);
  }
  return { items, parts };
}

export const dynamoTicketStore: TicketStore = {
  async reserveNumber(tenantId, branchId, queueId, seq, rank, now) {
    // The queue's clock (`lastAt`) never goes back: with this clock behind it, the ticket takes
    // the queue's last queuedAt, on condition that it is still the last. The request's clock
    // moves on while it retries (queuedAt is when the number is reserved), so a request that
    // others keep overtaking catches up with them instead of chasing their last queuedAt.
    const started = performance.now();
    let seen: string | undefined;
    for (let attempt = 1; attempt <= RESERVE_ATTEMPTS; attempt++) {
      const at = new Date(now.getTime() + Math.floor(performance.now() - started)).toISOString();
      const clockAhead = seen === undefined || seen <= at;
      const queuedAt = clockAhead ? at : seen!;
      const minute = minuteAttribute(rank, minuteOf(queuedAt));
      const update = updateOf(sequenceKey(tenantId, branchId, queueId), {
        set: { ...(clockAhead && { lastAt: at }), [lineAttribute('l', rank)]: queuedAt },
        add: { seq: 1, v: 1, [lineAttribute('e', rank)]: 1, [minute.name]: minute.unit },
        condition: (x) =>
          `${x.name('day')} = ${x.value(seq.day)} AND ${x.name('epoch')} = ${x.value(seq.epoch)} AND ` +
          (clockAhead
            ? `(attribute_not_exists(${x.name('lastAt')}) OR ${x.name('lastAt')} <= ${x.value(at)})`
            : `${x.name('lastAt')} = ${x.value(seen)}`),
      });
      try {
        const { Attributes } = await withContentionRetry(() =>
          dynamo().send(
            new UpdateCommand({
              ...update,
              ReturnValues: 'ALL_NEW',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        const numbering = numberingFromItem(Attributes!);
        return {
          claim: { numbering, number: numbering.seq, entry: numbering.lines.get(rank)!.entered, queuedAt },
        };
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        const item = (error as { Item?: Record<string, AttributeValue> }).Item;
        const current = item ? numberingFromItem(unmarshall(item)) : null;
        if (!current || current.day !== seq.day || current.epoch !== seq.epoch) return { current };
        seen = current.lastAt ?? undefined;
        if (attempt > 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
    throw new ServiceUnavailableError('Too many tickets at once; retry shortly');
  },

  async releaseNumber(tenantId, branchId, queueId, rank, claim) {
    const minute = minuteAttribute(rank, minuteOf(claim.queuedAt));
    const entered = lineAttribute('e', rank);
    try {
      // Nothing reserved since: as if it never was (no gap).
      await withContentionRetry(() =>
        dynamo().send(
          new UpdateCommand(
            updateOf(sequenceKey(tenantId, branchId, queueId), {
              add: { seq: -1, v: 1, [entered]: -1, [minute.name]: -minute.unit },
              condition: (x) =>
                `${x.name('seq')} = ${x.value(claim.number)} AND ${x.name(entered)} = ${x.value(claim.entry)} AND ` +
                `${x.name('day')} = ${x.value(claim.numbering.day)} AND ${x.name('epoch')} = ${x.value(claim.numbering.epoch)}`,
            }),
          ),
        ),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // Later numbers are out: the entry holds no ticket, so it is marked as having left.
      const { shard, word, bit } = departureMark(claim.entry);
      await withContentionRetry(() =>
        dynamo().send(
          new UpdateCommand(
            updateOf(queueLiveKey(tenantId, branchId, queueId, shard), {
              add: { [departureAttribute(rank, word)]: 2 ** bit },
            }),
          ),
        ),
      );
    }
  },

  async get(tenantId, ticketId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: ticketKey(tenantId, ticketId), ConsistentRead: true }),
    );
    return Item ? ticketFromItem(Item) : undefined;
  },

  async waiting(tenantId, queueId, rank, { limit, newestFirst, before }) {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'waiting',
          KeyConditionExpression: before === undefined ? 'waitPk = :p' : 'waitPk = :p AND waitSk < :before',
          ExpressionAttributeValues: {
            ':p': waitingPartition(tenantId, queueId, rank),
            ...(before !== undefined && { ':before': before }),
          },
          ScanIndexForward: !newestFirst,
          ...(limit !== undefined && { Limit: limit - items.length }),
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && (limit === undefined || items.length < limit));
    return items.map(ticketFromItem);
  },

  async firstWaitingAfter(tenantId, queueId, rank, key) {
    const { Items } = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'waiting',
        KeyConditionExpression: 'waitPk = :p AND waitSk > :key',
        ExpressionAttributeValues: { ':p': waitingPartition(tenantId, queueId, rank), ':key': key },
        Limit: 1,
      }),
    );
    return Items?.[0] ? ticketFromItem(Items[0]) : undefined;
  },

  async apply(tenantId, change) {
    const { items, parts } = transactItems(tenantId, change);
    // Last, so that `parts` still indexes the items before it.
    const outcome = outcomeRecord(change.ticket.id);
    if (outcome) items.push(outcome);
    await withContentionRetry(async () => {
      try {
        await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        const reasons = cancellationReasons(error);
        const failed = reasons?.findIndex((r) => r.code === 'ConditionalCheckFailed') ?? -1;
        const part = parts[failed];
        if (part) throw new WriteConflict(part, reasons![failed]!.item);
        if (outcome && failed === items.length - 1) throw idempotencyKeyLost();
        throw error;
      }
    });
  },

  async listByDay(tenantId, branchId, day, filter, { limit, cursor }) {
    const partition = dayPartition(tenantId, branchId, day);
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':p': partition };
    const names: Record<string, string> = {};
    if (filter.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    if (filter.queueId) {
      filters.push('queueId = :queueId');
      values[':queueId'] = filter.queueId;
    }
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined = decodeCursor(
      cursor,
      { attribute: 'dayPk', value: partition },
      'byDay',
    );
    // A filter can thin pages out: keep reading until the page is full, the day ends, or the
    // read budget is spent — then the page is short and the cursor says where to go on.
    let read = 0;
    do {
      const wanted = limit - items.length;
      const input: QueryCommandInput = {
        TableName: tableName(),
        IndexName: 'byDay',
        KeyConditionExpression: 'dayPk = :p',
        ExpressionAttributeValues: values,
        ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
        ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
        Limit: filters.length > 0 ? Math.min(FILTERED_READ, LIST_READ_BUDGET - read) : wanted,
        ExclusiveStartKey: startKey,
      };
      const page = await dynamo().send(new QueryCommand(input));
      read += page.ScannedCount ?? 0;
      const found = page.Items ?? [];
      items.push(...found.slice(0, wanted));
      // More matches than the page holds: continue after the last one kept.
      startKey = found.length > wanted ? dayIndexKeyOf(items.at(-1)!) : page.LastEvaluatedKey;
    } while (startKey && items.length < limit && read < LIST_READ_BUDGET);
    return { items: items.map(ticketFromItem), nextCursor: encodeCursor(startKey) };
  },

  async getPriority(tenantId, priorityId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: priorityKey(tenantId, priorityId) }),
    );
    return Item && !Item.deletedAt ? priorityFromItem(Item) : undefined;
  },
};
