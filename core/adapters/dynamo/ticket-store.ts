import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TicketChange } from '../../domain/ticket-changes';
import { type TicketStore, WriteConflict } from '../../ports/tickets';
import { dynamo, tableName } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import { cancellationReasons, isConditionFailed, withContentionRetry } from './errors';
import { AGGREGATE_SHARDS, counterDayKey, queueDayKey } from './items/aggregate';
import { counterKey } from './items/counter';
import { priorityFromItem, priorityKey } from './items/priority';
import { queueLiveKey, randomShard, sequenceKey, waitingAttribute } from './items/queue';
import {
  dayIndexKeyOf,
  dayPartition,
  ticketFromItem,
  ticketKey,
  ticketToItem,
  waitingPartition,
} from './items/ticket';
import { numberIs, updateOf } from './operations';
import { idempotencyKeyLost, outcomeRecord } from './outcome-record';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

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

/** The items of a change's transaction, and which of them are conditioned (for telling what lost). */
function transactItems(
  tenantId: string,
  change: TicketChange,
): { items: TransactItem[]; parts: WriteConflict['part'][] } {
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
  const parts: WriteConflict['part'][] = ['ticket'];
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
        Item: { ...sequenceKey(tenantId, branchId, queueId), type: 'numbering', ...next },
        ...(expect
          ? {
              ConditionExpression: '#day = :day AND #epoch = :epoch AND #seq = :seq',
              ExpressionAttributeNames: { '#day': 'day', '#epoch': 'epoch', '#seq': 'seq' },
              ExpressionAttributeValues: { ':day': expect.day, ':epoch': expect.epoch, ':seq': expect.seq },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    });
  }

  // Live figures: one random shard per queue, all of that queue's deltas merged into it
  // (a transaction may not touch one item twice).
  const live = new Map<string, Record<string, number>>();
  const addLive = (queueId: string, attribute: string, amount: number) => {
    const adds = live.get(queueId) ?? {};
    adds[attribute] = (adds[attribute] ?? 0) + amount;
    live.set(queueId, adds);
  };
  for (const w of change.waiting) {
    addLive(w.queueId, waitingAttribute(w.rank), w.delta);
    // `v` counts changes to the queue's waiting tickets, even when the counts net to zero
    // (a move to the back of the same queue): the board's ETag follows it.
    live.get(w.queueId)!.v = 1;
  }
  if (change.service) {
    addLive(change.service.queueId, 'svcN', 1);
    addLive(change.service.queueId, 'svcSum', change.service.seconds);
  }
  for (const [queueId, adds] of live) {
    const add = Object.fromEntries(Object.entries(adds).filter(([, amount]) => amount !== 0));
    if (Object.keys(add).length === 0) continue;
    // When the waiting index last had something to catch up with (call-next and the board wait for it).
    const set = add.v ? { changedAt: ticket.updatedAt } : undefined;
    items.push({
      Update: updateOf(queueLiveKey(tenantId, branchId, queueId, randomShard()), { add, set }),
    });
  }

  for (const stat of change.stats) {
    const key =
      stat.scope.kind === 'counter'
        ? counterDayKey(tenantId, branchId, stat.day, stat.scope.counterId)
        : queueDayKey(
            tenantId,
            branchId,
            stat.day,
            stat.scope.queueId,
            Math.floor(Math.random() * AGGREGATE_SHARDS),
          );
    // `v` versions the item: a day rollup deletes a source only if nothing was added since it read it.
    items.push({ Update: updateOf(key, { add: { ...stat.add, v: 1 }, set: stat.set }) });
  }
  return { items, parts };
}

export const dynamoTicketStore: TicketStore = {
  async reserveNumber(tenantId, branchId, queueId, day, epoch) {
    try {
      const { Attributes } = await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: sequenceKey(tenantId, branchId, queueId),
          UpdateExpression: 'ADD #seq :one',
          ConditionExpression: '#day = :day AND #epoch = :epoch',
          ExpressionAttributeNames: { '#seq': 'seq', '#day': 'day', '#epoch': 'epoch' },
          ExpressionAttributeValues: { ':one': 1, ':day': day, ':epoch': epoch },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Attributes!.seq as number;
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  },

  async get(tenantId, ticketId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: ticketKey(tenantId, ticketId), ConsistentRead: true }),
    );
    return Item ? ticketFromItem(Item) : undefined;
  },

  async waiting(tenantId, queueId, rank, { limit, newestFirst }) {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'waiting',
          KeyConditionExpression: 'waitPk = :p',
          ExpressionAttributeValues: { ':p': waitingPartition(tenantId, queueId, rank) },
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

  async countWaitingBelow(tenantId, queueId, rank, bound) {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'waiting',
          KeyConditionExpression: 'waitPk = :p AND waitSk < :bound',
          ExpressionAttributeValues: { ':p': waitingPartition(tenantId, queueId, rank), ':bound': bound },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
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
