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
import { cancellationReasons, withContentionRetry } from './errors';
import { AGGREGATE_SHARDS, counterDayKey, queueDayKey } from './items/aggregate';
import { counterKey } from './items/counter';
import { priorityFromItem, priorityKey } from './items/priority';
import { queueLiveKey, randomShard, waitingAttribute } from './items/queue';
import {
  dayPartition,
  numberKey,
  ticketFromItem,
  ticketKey,
  ticketToItem,
  waitingPartition,
} from './items/ticket';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Builds `ADD`/`SET` expressions over attribute names that may contain any character. */
class UpdateBuilder {
  private names: Record<string, string> = {};
  private values: Record<string, unknown> = {};
  private adds: string[] = [];
  private sets: string[] = [];
  private removes: string[] = [];
  private n = 0;

  private name(attribute: string) {
    const placeholder = `#n${this.n++}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }
  value(v: unknown) {
    const placeholder = `:v${this.n++}`;
    this.values[placeholder] = v;
    return placeholder;
  }
  add(attribute: string, amount: number) {
    this.adds.push(`${this.name(attribute)} ${this.value(amount)}`);
    return this;
  }
  set(attribute: string, v: unknown) {
    this.sets.push(`${this.name(attribute)} = ${this.value(v)}`);
    return this;
  }
  remove(attribute: string) {
    this.removes.push(this.name(attribute));
    return this;
  }
  ref(attribute: string) {
    return this.name(attribute);
  }
  build(condition?: string) {
    const parts = [
      this.sets.length ? `SET ${this.sets.join(', ')}` : '',
      this.adds.length ? `ADD ${this.adds.join(', ')}` : '',
      this.removes.length ? `REMOVE ${this.removes.join(', ')}` : '',
    ].filter(Boolean);
    return {
      UpdateExpression: parts.join(' '),
      ...(condition && { ConditionExpression: condition }),
      ExpressionAttributeNames: this.names,
      ...(Object.keys(this.values).length > 0 && { ExpressionAttributeValues: this.values }),
    };
  }
}

function transactItems(tenantId: string, change: TicketChange): TransactItem[] {
  const table = tableName();
  const { ticket, previous } = change;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table,
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

  if (change.counter) {
    const c = change.counter;
    const u = new UpdateBuilder();
    const conditions = ['attribute_not_exists(deletedAt)'];
    if (c.expectTicketId === null) conditions.push('attribute_not_exists(currentTicketId)');
    else conditions.push(`${u.ref('currentTicketId')} = ${u.value(c.expectTicketId)}`);
    if (c.expectRevision !== undefined) {
      const revision = u.ref('revision');
      conditions.push(
        c.expectRevision === 0
          ? `attribute_not_exists(${revision})`
          : `${revision} = ${u.value(c.expectRevision)}`,
      );
      u.set('revision', c.expectRevision + 1);
    }
    if (c.current) u.set('current', c.current).set('currentTicketId', c.current.ticketId);
    else u.remove('current').remove('currentTicketId');
    if (c.recent) u.set('recent', c.recent);
    if (c.waitMax) u.set('waitMax', c.waitMax);
    u.set('updatedAt', ticket.updatedAt);
    items.push({
      Update: {
        TableName: table,
        Key: counterKey(tenantId, ticket.branchId, c.counterId),
        ...u.build(conditions.join(' AND ')),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
  }

  // Live figures: one random shard per queue, all of that queue's deltas merged into it
  // (a transaction may not touch one item twice).
  const live = new Map<string, UpdateBuilder>();
  const liveOf = (queueId: string) => {
    let u = live.get(queueId);
    if (!u) {
      u = new UpdateBuilder();
      live.set(queueId, u);
    }
    return u;
  };
  const waitingByQueueRank = new Map<string, number>();
  for (const w of change.waiting) {
    const key = `${w.queueId} ${w.rank}`;
    waitingByQueueRank.set(key, (waitingByQueueRank.get(key) ?? 0) + w.delta);
  }
  for (const [key, delta] of waitingByQueueRank) {
    const [queueId, rank] = key.split(' ') as [string, string];
    if (delta !== 0) liveOf(queueId).add(waitingAttribute(Number(rank)), delta);
  }
  if (change.service) liveOf(change.service.queueId).add('svcN', 1).add('svcSum', change.service.seconds);
  for (const [queueId, u] of live) {
    items.push({
      Update: {
        TableName: table,
        Key: queueLiveKey(tenantId, ticket.branchId, queueId, randomShard()),
        ...u.build(),
      },
    });
  }

  for (const stat of change.stats) {
    const u = new UpdateBuilder();
    for (const [name, amount] of Object.entries(stat.add)) u.add(name, amount);
    for (const [name, v] of Object.entries(stat.set ?? {})) u.set(name, v);
    // `v` versions the item: a day rollup deletes a source only if nothing was added since it read it.
    u.add('v', 1);
    const key =
      stat.scope.kind === 'counter'
        ? counterDayKey(tenantId, ticket.branchId, stat.day, stat.scope.counterId)
        : queueDayKey(
            tenantId,
            ticket.branchId,
            stat.day,
            stat.scope.queueId,
            Math.floor(Math.random() * AGGREGATE_SHARDS),
          );
    items.push({ Update: { TableName: table, Key: key, ...u.build() } });
  }
  return items;
}

export const dynamoTicketStore: TicketStore = {
  async nextNumber(tenantId, branchId, queueId, day, closeEpoch) {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: numberKey(tenantId, branchId, queueId, day, closeEpoch),
        UpdateExpression: 'ADD seq :one SET #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': Math.floor(Date.now() / 1000) + 7 * 86_400 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes!.seq as number;
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
    const items = transactItems(tenantId, change);
    await withContentionRetry(async () => {
      try {
        await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        const reasons = cancellationReasons(error);
        const failed = reasons?.findIndex((r) => r.code === 'ConditionalCheckFailed') ?? -1;
        if (failed === 0) throw new WriteConflict('ticket', reasons![0]!.item);
        if (failed === 1 && change.counter) throw new WriteConflict('counter', reasons![1]!.item);
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
    let startKey: Record<string, unknown> | undefined = decodeCursor(cursor, {
      attribute: 'dayPk',
      value: partition,
    });
    // A filter can thin pages out: keep reading until the page is full or the day ends.
    do {
      const input: QueryCommandInput = {
        TableName: tableName(),
        IndexName: 'byDay',
        KeyConditionExpression: 'dayPk = :p',
        ExpressionAttributeValues: values,
        ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
        ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
        Limit: limit - items.length,
        ExclusiveStartKey: startKey,
      };
      const page = await dynamo().send(new QueryCommand(input));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return { items: items.map(ticketFromItem), nextCursor: encodeCursor(startKey) };
  },

  async getPriority(tenantId, priorityId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: priorityKey(tenantId, priorityId) }),
    );
    return Item && !Item.deletedAt ? priorityFromItem(Item) : undefined;
  },
};
