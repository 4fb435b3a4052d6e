import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PUSH_SUBSCRIPTIONS } from '#core/domain/contact';
import type { NotifyStore } from '#core/ports/notify';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';
import { NOTIFY_CLAIM_DAYS, notifyClaimKey } from './items/notify';
import { ticketKey } from './items/ticket';
import { numberIs, type UpdateSpec, updateOf } from './operations';

const DAY_SECONDS = 86_400;

/** One conditional update of the ticket at revision `rev`, moving its revision on. */
async function updateAtRevision(
  tenantId: string,
  ticketId: string,
  rev: number,
  set: UpdateSpec['set'],
): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand(
        updateOf(ticketKey(tenantId, ticketId), {
          set,
          add: { rev: 1 },
          condition: (x) => `attribute_exists(${x.name('pk')}) AND ${numberIs(x, 'rev', rev)}`,
        }),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

export const dynamoNotifyStore: NotifyStore = {
  signUp(tenantId, ticketId, rev, { customer, notify }, now) {
    return updateAtRevision(tenantId, ticketId, rev, { customer, notify, updatedAt: now.toISOString() });
  },

  setSubscriptions(tenantId, ticketId, rev, subscriptions, now) {
    return updateAtRevision(tenantId, ticketId, rev, {
      [PUSH_SUBSCRIPTIONS]: subscriptions,
      updatedAt: now.toISOString(),
    });
  },

  async claim(tenantId, ticketId, event, claim, now) {
    try {
      await dynamo().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...notifyClaimKey(tenantId, ticketId, event, claim),
            type: 'notifyClaim',
            claimedAt: now.toISOString(),
            ttl: Math.floor(now.getTime() / 1000) + NOTIFY_CLAIM_DAYS * DAY_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  },
};
