import type { Counter } from '#core/domain/setup';
import type { CounterStore } from '#core/ports/setup';
import { tableName } from './client';
import { type CounterItem, counterKey } from './items/counter';
import { LIVE, transactWrites, updateOf } from './operations';
import { counterTombstone, queueUse } from './setup-writes';

/** A new counter: no current ticket, no calls yet (those attributes are written by calls). */
function counterToItem(
  tenantId: string,
  counter: Counter,
): Omit<CounterItem, 'recent' | 'waitMax' | 'revision'> {
  return {
    ...counterKey(tenantId, counter.branchId, counter.id),
    type: 'counter',
    id: counter.id,
    branchId: counter.branchId,
    name: counter.name,
    queueIds: counter.queueIds,
    allowStealing: counter.allowStealing,
    createdAt: counter.createdAt,
    updatedAt: counter.updatedAt,
  };
}

export const dynamoCounterStore: CounterStore = {
  async create(tenantId, counter) {
    await transactWrites([
      {
        item: {
          Put: {
            TableName: tableName(),
            Item: counterToItem(tenantId, counter),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      ...counter.queueIds.map((queueId) => queueUse(tenantId, counter.branchId, queueId, 1)),
    ]);
  },

  async update(tenantId, before, after) {
    const added = after.queueIds.filter((id) => !before.queueIds.includes(id));
    const dropped = before.queueIds.filter((id) => !after.queueIds.includes(id));
    await transactWrites([
      {
        item: {
          Update: updateOf(counterKey(tenantId, before.branchId, before.id), {
            set: {
              name: after.name,
              queueIds: after.queueIds,
              allowStealing: after.allowStealing,
              updatedAt: after.updatedAt,
            },
            // The queue counts below were derived from these queue ids.
            condition: (x) => `${LIVE} AND ${x.name('queueIds')} = ${x.value(before.queueIds)}`,
          }),
        },
      },
      ...added.map((queueId) => queueUse(tenantId, before.branchId, queueId, 1)),
      ...dropped.map((queueId) => queueUse(tenantId, before.branchId, queueId, -1)),
    ]);
  },

  async delete(tenantId, counter, now) {
    await transactWrites([
      counterTombstone(tenantId, counter, now),
      ...counter.queueIds.map((queueId) => queueUse(tenantId, counter.branchId, queueId, -1)),
    ]);
  },
};
