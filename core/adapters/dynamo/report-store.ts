import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LabelKind } from '#core/domain/report';
import type { ReportBranch, ReportStore } from '#core/ports/reports';
import { dynamo, tableName } from './client';
import { aggregateDays, aggregatePartition, dayAggregateOf } from './items/aggregate';
import { BRANCH_SORT_KEY, branchesRef, branchKey, branchPartition, SETUP_PREFIX } from './items/branch';
import { COUNTER_PREFIX } from './items/counter';
import { PRIORITY_PREFIX } from './items/priority';
import { QUEUE_PREFIX } from './items/queue';
import { tenantPartition } from './items/tenant';
import { USER_PREFIX } from './items/user';
import { queryAll } from './operations';

/** Where each kind of name lives, and which attribute holds it. */
function nameSource(tenantId: string, branchId: string, kind: LabelKind) {
  switch (kind) {
    case 'queue':
      return { pk: branchPartition(tenantId, branchId), prefix: QUEUE_PREFIX, attribute: 'name' };
    case 'counter':
      return { pk: branchPartition(tenantId, branchId), prefix: COUNTER_PREFIX, attribute: 'name' };
    case 'priority':
      return { pk: tenantPartition(tenantId), prefix: PRIORITY_PREFIX, attribute: 'name' };
    case 'agent':
      return { pk: tenantPartition(tenantId), prefix: USER_PREFIX, attribute: 'fullName' };
  }
}

/**
 * Reports read the branch's aggregate partition — one Query for any date range, since its
 * sort keys start with the business day — and, for labels, one Query of names. Reads are
 * eventually consistent: a report may lag a just-finished ticket by a moment, at half the cost.
 */
export const dynamoReportStore: ReportStore = {
  async branch(tenantId, branchId) {
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: tableName(),
        Key: branchKey(tenantId, branchId),
        ProjectionExpression: 'id, #name, deletedAt',
        ExpressionAttributeNames: { '#name': 'name' },
      }),
    );
    if (!Item || Item.deletedAt) return undefined;
    return { id: Item.id as string, name: Item.name as string };
  },

  async branches(tenantId) {
    const items = await queryAll({
      IndexName: 'refs',
      KeyConditionExpression: 'refPk = :p',
      ExpressionAttributeValues: { ':p': branchesRef(tenantId) },
      ProjectionExpression: 'id, #name, deletedAt',
      ExpressionAttributeNames: { '#name': 'name' },
    });
    return items
      .filter((i) => !i.deletedAt)
      .map((i): ReportBranch => ({ id: i.id as string, name: i.name as string }));
  },

  async aggregates(tenantId, branchId, from, to) {
    const days = aggregateDays(from, to);
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': aggregatePartition(tenantId, branchId),
        ':from': days.from,
        ':to': days.to,
      },
    });
    return items.map(dayAggregateOf);
  },

  async branchWithNames(tenantId, branchId, kind) {
    const prefix = kind === 'queue' ? QUEUE_PREFIX : COUNTER_PREFIX;
    // The branch's setup items (a few KB: branch, queues, counters, their live shards); keys
    // cannot be filtered on, so the ones of the other kind are dropped here.
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :setup)',
      ExpressionAttributeValues: { ':pk': branchPartition(tenantId, branchId), ':setup': SETUP_PREFIX },
      ProjectionExpression: 'sk, id, #name, deletedAt',
      ExpressionAttributeNames: { '#name': 'name' },
    });
    const branch = items.find((i) => i.sk === BRANCH_SORT_KEY);
    if (!branch || branch.deletedAt) return undefined;
    const names = new Map<string, string>();
    for (const item of items) {
      const sk = item.sk as string;
      if (!sk.startsWith(prefix) || typeof item.name !== 'string' || item.name === '') continue;
      names.set(sk.slice(prefix.length), item.name);
    }
    return { branch: { id: branch.id as string, name: branch.name as string }, names };
  },

  async names(tenantId, branchId, kind) {
    const source = nameSource(tenantId, branchId, kind);
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': source.pk, ':prefix': source.prefix },
      ProjectionExpression: 'sk, #name',
      ExpressionAttributeNames: { '#name': source.attribute },
    });
    const names = new Map<string, string>();
    for (const item of items) {
      const id = (item.sk as string).slice(source.prefix.length);
      const name = item[source.attribute];
      if (typeof name === 'string' && name !== '') names.set(id, name);
    }
    return names;
  },
};
