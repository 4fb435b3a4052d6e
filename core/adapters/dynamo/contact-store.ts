import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PUSH_SUBSCRIPTIONS } from '#core/domain/contact';
import type { ContactStore, DueContact } from '#core/ports/contacts';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';
import { dueUntil } from './items/branch';
import { CONTACT_SHARDS, contactDueEntryOf, contactDuePartition, ticketKey } from './items/ticket';
import { type Expr, numberIs, updateOf } from './operations';

/** Entries read per Query: a page the job erases before it reads on (and checks its time budget). */
const PAGE = 100;

/**
 * What erasing does to a ticket item: `customer` null, its push subscriptions, its feedback's
 * comment and its `due` entry gone, the moment recorded; the revision moves on, so a change
 * computed from the ticket as it was (with its contact data) fails its condition and is
 * computed again.
 */
async function erase(key: ReturnType<typeof ticketKey>, now: Date, condition: (x: Expr) => string) {
  const at = now.toISOString();
  try {
    await dynamo().send(
      new UpdateCommand(
        updateOf(key, {
          set: { customer: null, contactDueAt: null, contactErasedAt: at, updatedAt: at },
          add: { rev: 1 },
          remove: [PUSH_SUBSCRIPTIONS, 'feedbackComment', 'duePk', 'dueSk'],
          condition: (x) => `attribute_exists(${x.name('pk')}) AND ${condition(x)}`,
        }),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

export const dynamoContactStore: ContactStore = {
  async *dueContacts(at) {
    for (let shard = 0; shard < CONTACT_SHARDS; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamo().send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: 'due',
            KeyConditionExpression: 'duePk = :p AND dueSk <= :until',
            ExpressionAttributeValues: { ':p': contactDuePartition(shard), ':until': dueUntil(at) },
            Limit: PAGE,
            ExclusiveStartKey: startKey,
          }),
        );
        startKey = page.LastEvaluatedKey;
        const due = (page.Items ?? []).map((item): DueContact => {
          const dueSk = item.dueSk as string;
          return { ...contactDueEntryOf(dueSk), dueSk };
        });
        if (due.length > 0) yield due;
      } while (startKey);
    }
  },

  eraseDue({ tenantId, ticketId, dueSk }, now) {
    return erase(ticketKey(tenantId, ticketId), now, (x) => `${x.name('dueSk')} = ${x.value(dueSk)}`);
  },

  eraseNow(tenantId, ticketId, rev, now) {
    return erase(ticketKey(tenantId, ticketId), now, (x) => numberIs(x, 'rev', rev));
  },
};
