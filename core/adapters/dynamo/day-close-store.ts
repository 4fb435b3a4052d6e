import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { mergeAggregates } from '../../domain/report-stats';
import type { DayCloseStore } from '../../ports/day-close';
import { dynamo, tableName } from './client';
import { cancellationReasons, isConditionFailed } from './errors';
import { aggregatePartition, rollupKey } from './items/aggregate';
import { branchKey, DUE_PARTITION, dueSortKey } from './items/branch';
import { openPartition } from './items/ticket';
import { queryAll } from './operations';

const ROLLUP_BATCH = 90;

export const dynamoDayCloseStore: DayCloseStore = {
  async openTicketIds(tenantId, branchId, beforeDay) {
    const keys = await queryAll({
      IndexName: 'open',
      KeyConditionExpression: 'openPk = :p AND openSk < :before',
      ExpressionAttributeValues: { ':p': openPartition(tenantId, branchId), ':before': beforeDay },
    });
    return keys.map((k) => (k.openSk as string).split('#')[1]!);
  },

  async bumpCloseEpoch(tenantId, branchId, expected, now) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: branchKey(tenantId, branchId),
          UpdateExpression: 'SET closeEpoch = :next, updatedAt = :now',
          ConditionExpression:
            'attribute_not_exists(deletedAt) AND (closeEpoch = :expected OR (attribute_not_exists(closeEpoch) AND :expected = :zero))',
          ExpressionAttributeValues: {
            ':next': expected + 1,
            ':expected': expected,
            ':zero': 0,
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

  async dueBranches(at) {
    const keys = await queryAll({
      IndexName: 'due',
      KeyConditionExpression: 'duePk = :p AND dueSk <= :at',
      ExpressionAttributeValues: { ':p': DUE_PARTITION, ':at': `${at.toISOString()}#~` },
    });
    return keys.map((k) => {
      const [, tenantId, branchId] = (k.dueSk as string).split('#') as [string, string, string];
      return { tenantId, branchId, dueSk: k.dueSk as string };
    });
  },

  /**
   * Each day's items are replaced by a rollup in one transaction (Put the merge, Delete the
   * sources on condition that their version `v` is the one merged), so a crash or a late write
   * can neither lose nor double-count a figure; a rerun rolls up whatever is left.
   */
  async rollUpDaysBefore(tenantId, branchId, beforeDay) {
    const pk = aggregatePartition(tenantId, branchId);
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND sk < :before',
      ExpressionAttributeValues: { ':pk': pk, ':before': beforeDay },
      ConsistentRead: true,
    });
    const sources = items.filter((i) => !/^\d{4}-\d{2}-\d{2}#R/.test(i.sk as string));
    const byDay = new Map<string, Record<string, unknown>[]>();
    for (const item of sources) {
      const day = (item.sk as string).slice(0, 10);
      byDay.set(day, [...(byDay.get(day) ?? []), item]);
    }
    for (const [day, dayItems] of byDay) {
      for (let i = 0; i < dayItems.length; i += ROLLUP_BATCH) {
        const batch = dayItems.slice(i, i + ROLLUP_BATCH);
        const rollup = rollupKey(tenantId, branchId, day);
        try {
          await dynamo().send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName(),
                    Item: { ...rollup, sk: `${rollup.sk}#${ulid()}`, ...mergeAggregates(batch) },
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
