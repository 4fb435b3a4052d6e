import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { ServiceUnavailableError } from '#core/domain/errors';
import { mergeAggregates } from '#core/domain/report-stats';
import { DEFAULT_CONTACT_RETENTION_HOURS } from '#core/domain/setup-rules';
import { TERMINAL } from '#core/domain/ticket';
import type { StatWrite, TicketChange } from '#core/domain/ticket-changes';
import type { DayCloseStore, FinishedClose, PendingClose } from '#core/ports/day-close';
import { dynamo, tableName } from './client';
import { cancellationReasons, isConditionFailed, isTransient } from './errors';
import {
  aggregateDayOf,
  aggregateDays,
  aggregatePartition,
  figuresOf,
  isRollup,
  rollupKey,
  statAttributes,
} from './items/aggregate';
import { branchKey, DUE_PARTITION, dueEntryOf, dueSortKey, dueUntil } from './items/branch';
import { sequenceKey } from './items/queue';
import { openPartition, openTicketIdOf, ticketFromItem, ticketKey } from './items/ticket';
import { getMany, LIVE, MAX_TRANSACTION_ITEMS, numberIs, queryAll, updateOf } from './operations';
import { transactItems } from './ticket-store';
import { conditionalTransaction, type TransactItems } from './transact';

const ROLLUP_BATCH = 90;
/** Tickets read (BatchGets of 100, strongly consistent, in parallel) and handed on together. */
const TICKET_CHUNK = 800;

const later = (a: string | undefined, b: string) => (a !== undefined && a > b ? a : b);

/** The report figures of several changes, one write per aggregate item (scope and day) with their sums. */
function mergedStats(changes: readonly TicketChange[]): StatWrite[] {
  const merged = new Map<string, StatWrite>();
  for (const stat of changes.flatMap((c) => c.stats)) {
    const id = stat.scope.kind === 'queue' ? stat.scope.queueId : stat.scope.counterId;
    const key = `${stat.scope.kind}#${id}#${stat.day}`;
    const into = merged.get(key) ?? { scope: stat.scope, day: stat.day, add: {} };
    for (const [name, amount] of Object.entries(stat.add)) into.add[name] = (into.add[name] ?? 0) + amount;
    merged.set(key, into);
  }
  return [...merged.values()];
}

/** The items of several expiries' transaction: each ticket's own, then their merged side effects. */
function expiryItems(tenantId: string, changes: readonly TicketChange[]): TransactItems {
  const own = changes.flatMap(
    (c) =>
      transactItems(tenantId, { ...c, waiting: [], service: undefined, stats: [], remoteWaiting: undefined })
        .items,
  );
  // The side effects, built as one change whose ticket write is left out.
  const [, ...shared] = transactItems(tenantId, {
    ticket: changes[0]!.ticket,
    previous: changes[0]!.previous,
    waiting: changes.flatMap((c) => c.waiting),
    stats: mergedStats(changes),
    remoteWaiting: { delta: changes.reduce((sum, c) => sum + (c.remoteWaiting?.delta ?? 0), 0) },
  }).items;
  return [...own, ...shared];
}

export const dynamoDayCloseStore: DayCloseStore = {
  async closeState(tenantId, branchId) {
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: tableName(),
        Key: branchKey(tenantId, branchId),
        ConsistentRead: true,
        ProjectionExpression: '#e, #l, #d, #c, #lc, #la, #x, #r',
        ExpressionAttributeNames: {
          '#e': 'closeEpoch',
          '#l': 'lastClosedDay',
          '#d': 'dueSk',
          '#c': 'closing',
          '#lc': 'lastClose',
          '#la': 'lastCloseAt',
          '#x': 'deletedAt',
          '#r': 'contactRetentionHours',
        },
      }),
    );
    if (!Item || Item.deletedAt) return undefined;
    const dueSk = Item.dueSk as string | undefined;
    return {
      closeEpoch: (Item.closeEpoch as number | undefined) ?? 0,
      lastClosedDay: (Item.lastClosedDay as string | undefined) ?? null,
      due: dueSk ? { dueSk, dueAt: dueEntryOf(dueSk).dueAt } : null,
      closing: (Item.closing as PendingClose | undefined) ?? null,
      lastClose: Item.lastClose
        ? ({ ...(Item.lastClose as PendingClose), closedAt: Item.lastCloseAt } as FinishedClose)
        : null,
      contactRetentionHours:
        (Item.contactRetentionHours as number | undefined) ?? DEFAULT_CONTACT_RETENTION_HOURS,
    };
  },

  async *openTickets(tenantId, branchId, beforeDay) {
    let startKey: Record<string, unknown> | undefined;
    do {
      // Keys only, a page (1 MB, thousands of tickets) at a time; the tickets themselves in batches.
      const page = await dynamo().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'open',
          KeyConditionExpression: beforeDay ? 'openPk = :p AND openSk < :before' : 'openPk = :p',
          ExpressionAttributeValues: {
            ':p': openPartition(tenantId, branchId),
            ...(beforeDay && { ':before': beforeDay }),
          },
          ExclusiveStartKey: startKey,
        }),
      );
      const ids = (page.Items ?? []).map((k) => openTicketIdOf(k.openSk as string));
      for (let i = 0; i < ids.length; i += TICKET_CHUNK) {
        const chunk = ids.slice(i, i + TICKET_CHUNK);
        const reads = [];
        for (let j = 0; j < chunk.length; j += 100) {
          reads.push(getMany(chunk.slice(j, j + 100).map((id) => ticketKey(tenantId, id))));
        }
        const open = (await Promise.all(reads))
          .flat()
          .map(ticketFromItem)
          .filter((t) => !TERMINAL.has(t.status));
        if (open.length > 0) yield open;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  },

  /**
   * Each ticket's own items (the ticket on condition of its revision, its counter), then the
   * live counts and report figures of all of them merged, one write per item: a transaction may
   * not touch an item twice, and fewer, larger writes are what makes a 10,000-ticket close fast.
   * Changes that do not fit one transaction are split over several.
   */
  async expireTogether(tenantId, changes) {
    if (changes.length === 0) return [];
    const items = expiryItems(tenantId, changes);
    if (items.length > MAX_TRANSACTION_ITEMS && changes.length > 1) {
      const half = Math.ceil(changes.length / 2);
      return [
        ...(await dynamoDayCloseStore.expireTogether(tenantId, changes.slice(0, half))),
        ...(await dynamoDayCloseStore.expireTogether(tenantId, changes.slice(half))),
      ];
    }
    try {
      return (await conditionalTransaction(items)).length === 0 ? [] : [...changes];
    } catch (error) {
      // Contention that outlasted the retries: the caller ends these tickets one by one.
      if (isTransient(error) || error instanceof ServiceUnavailableError) return [...changes];
      throw error;
    }
  },

  async startClose(tenantId, branchId, close, seen) {
    // The due entry moves to the close's start when that is sooner: the hourly job then finishes
    // the close if nobody else does; once done, it finds nothing new and moves the entry on.
    const early = dueSortKey(new Date(close.startedAt), tenantId, branchId);
    const moveDue = seen.due !== null && early < seen.due.dueSk;
    try {
      await dynamo().send(
        new UpdateCommand(
          updateOf(branchKey(tenantId, branchId), {
            set: { closing: close, ...(moveDue && { dueSk: early }) },
            condition: (x) =>
              [
                LIVE,
                `attribute_not_exists(${x.name('closing')})`,
                numberIs(x, 'closeEpoch', seen.closeEpoch),
                seen.due ? `${x.name('dueSk')} = ${x.value(seen.due.dueSk)}` : '',
              ]
                .filter(Boolean)
                .join(' AND '),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  },

  async addProgress(tenantId, branchId, closeId, { expired, finished }) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: branchKey(tenantId, branchId),
          UpdateExpression: 'SET #c.#e = #c.#e + :e, #c.#f = #c.#f + :f',
          ConditionExpression: '#c.#id = :id',
          ExpressionAttributeNames: { '#c': 'closing', '#e': 'expired', '#f': 'finished', '#id': 'id' },
          ExpressionAttributeValues: { ':e': expired, ':f': finished, ':id': closeId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  },

  /**
   * One transaction: the branch (next epoch; the pending close becomes the last one, with the
   * counts its runs recorded) and a fresh numbering item per live queue — each conditioned on
   * the numbering read with the empty branch, so a ticket issued since fails it, and an enqueue
   * that read the old epoch fails its own condition afterwards. The branch's live queue count
   * catches a queue created meanwhile (absent on branches written before it was kept).
   */
  async restartNumbering(tenantId, branchId, close, setup, now) {
    const at = now.toISOString();
    const items: TransactItems = [
      {
        Update: {
          TableName: tableName(),
          Key: branchKey(tenantId, branchId),
          UpdateExpression: 'SET #epoch = :next, #last = #c, #lastAt = :at, #updated = :at REMOVE #c',
          ConditionExpression: [
            LIVE,
            '#c.#id = :id',
            '(#epoch = :epoch OR (attribute_not_exists(#epoch) AND :epoch = :zero))',
            '(attribute_not_exists(#queues) OR #queues = :queues)',
          ].join(' AND '),
          ExpressionAttributeNames: {
            '#epoch': 'closeEpoch',
            '#last': 'lastClose',
            '#lastAt': 'lastCloseAt',
            '#updated': 'updatedAt',
            '#c': 'closing',
            '#id': 'id',
            '#queues': 'queueCount',
          },
          ExpressionAttributeValues: {
            ':next': close.epoch + 1,
            ':epoch': close.epoch,
            ':zero': 0,
            ':id': close.id,
            ':at': at,
            ':queues': setup.queues.length,
          },
        },
      },
      // Only day, epoch and seq restart (and `v`, so an enqueue that read the numbering before
      // fails its condition): the lines' entry side stays, matching the departure marks on the
      // live shards; nothing waits any more, so enqueue's housekeeping clears the lines.
      ...setup.queues.map(({ id, numbering }): TransactItems[number] =>
        numbering
          ? {
              Update: {
                TableName: tableName(),
                Key: sequenceKey(tenantId, branchId, id),
                UpdateExpression: 'SET #day = :nextDay, #epoch = :nextEpoch, #seq = :zero ADD #v :one',
                ConditionExpression: '#day = :day AND #epoch = :epoch AND #seq = :seq',
                ExpressionAttributeNames: { '#day': 'day', '#epoch': 'epoch', '#seq': 'seq', '#v': 'v' },
                ExpressionAttributeValues: {
                  // Never back to an earlier day: a request's clock may already be past the close's.
                  ':nextDay': later(numbering.day, close.businessDay),
                  ':nextEpoch': close.epoch + 1,
                  ':zero': 0,
                  ':one': 1,
                  ':day': numbering.day,
                  ':epoch': numbering.epoch,
                  ':seq': numbering.seq,
                },
              },
            }
          : {
              Put: {
                TableName: tableName(),
                Item: {
                  ...sequenceKey(tenantId, branchId, id),
                  type: 'numbering',
                  day: close.businessDay,
                  epoch: close.epoch + 1,
                  seq: 0,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
      ),
    ];
    return (await conditionalTransaction(items)).length === 0;
  },

  async dueBranches(at) {
    const keys = await queryAll({
      IndexName: 'due',
      KeyConditionExpression: 'duePk = :p AND dueSk <= :at',
      ExpressionAttributeValues: { ':p': DUE_PARTITION, ':at': dueUntil(at) },
    });
    return keys.map((k) => {
      const { tenantId, branchId } = dueEntryOf(k.dueSk as string);
      return { tenantId, branchId, dueSk: k.dueSk as string };
    });
  },

  /**
   * Each day's items are replaced by a rollup in one transaction (Put the merge, Delete the
   * sources on condition that their version `v` is the one merged), so a crash or a late write
   * can neither lose nor double-count a figure; a rerun rolls up whatever is left. The Query
   * covers the days being closed only: earlier days, closed already, are never read again.
   */
  async rollUpDays(tenantId, branchId, from, to) {
    if (from !== null && from > to) return 0;
    const pk = aggregatePartition(tenantId, branchId);
    const days = aggregateDays(from, to);
    const items = await queryAll({
      KeyConditionExpression:
        days.from === null ? 'pk = :pk AND sk <= :to' : 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': pk,
        ':to': days.to,
        ...(days.from !== null && { ':from': days.from }),
      },
      ConsistentRead: true,
    });
    const sources = items.filter((i) => !isRollup(i.sk as string));
    const byDay = new Map<string, Record<string, unknown>[]>();
    for (const item of sources) {
      const day = aggregateDayOf(item.sk as string);
      byDay.set(day, [...(byDay.get(day) ?? []), item]);
    }
    for (const [day, dayItems] of byDay) {
      for (let i = 0; i < dayItems.length; i += ROLLUP_BATCH) {
        const batch = dayItems.slice(i, i + ROLLUP_BATCH);
        const merged = statAttributes(mergeAggregates(batch.map(figuresOf)));
        try {
          await dynamo().send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName(),
                    Item: { ...rollupKey(tenantId, branchId, day, ulid()), ...merged },
                  },
                },
                ...batch.map((item) => ({
                  Delete: {
                    TableName: tableName(),
                    Key: { pk, sk: item.sk },
                    ConditionExpression: 'v = :v',
                    ExpressionAttributeValues: { ':v': item.v },
                  },
                })),
              ],
            }),
          );
        } catch (error) {
          // Someone changed or rolled up a source meanwhile: leave it for the next run.
          if (!cancellationReasons(error)?.some((r) => r.code === 'ConditionalCheckFailed')) throw error;
        }
      }
    }
    return byDay.size;
  },

  async markClosed(branch, { lastClosedDay, nextDueAt, now }) {
    const nextDueSk = dueSortKey(nextDueAt, branch.tenantId, branch.branchId);
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: branchKey(branch.tenantId, branch.branchId),
          UpdateExpression: 'SET lastClosedDay = :day, dueSk = :next, updatedAt = :now',
          ConditionExpression: 'dueSk = :seen',
          ExpressionAttributeValues: {
            ':day': lastClosedDay,
            ':next': nextDueSk,
            ':seen': branch.dueSk,
            ':now': now.toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  },
};
