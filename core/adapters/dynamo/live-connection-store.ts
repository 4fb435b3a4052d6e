import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LiveConnectionStore, LiveSubscription } from '#core/ports/live';
import { dynamo, tableName } from './client';
import { branchTicketsPartition, channelPartition, connectionPartition, LIVE_ITEM_TYPE } from './items/live';
import { queryAll } from './operations';

type Key = { pk: string; sk: string };

const keyOf = (s: LiveSubscription): Key =>
  s.ticket
    ? {
        pk: branchTicketsPartition(s.ticket.tenantId, s.ticket.branchId),
        sk: `${s.channel}#${s.connectionId}`,
      }
    : { pk: channelPartition(s.channel), sk: s.connectionId };

const fromItem = (item: Record<string, unknown>): LiveSubscription => ({
  connectionId: item.connectionId as string,
  name: item.name as string,
  channel: item.channel as string,
  expiresAt: new Date(item.expiresAt as number),
  ...(item.holder ? { holder: item.holder as LiveSubscription['holder'] } : {}),
  ...(item.ticket ? { ticket: item.ticket as LiveSubscription['ticket'] } : {}),
});

/**
 * Items outlive their channel by a day: the fan-out still finds a channel whose token expired
 * and tells its client (`ended`), which subscribes again with a fresh token.
 */
const GRACE_SECONDS = 86_400;

const put = (item: Record<string, unknown>) =>
  dynamo().send(new PutCommand({ TableName: tableName(), Item: item }));
const remove = (key: Key) => dynamo().send(new DeleteCommand({ TableName: tableName(), Key: key }));

/** Ticket channels past their end are skipped: their connection is closed by then. */
const current = (items: Record<string, unknown>[], now = Date.now()) =>
  items.map(fromItem).filter((s) => s.expiresAt.getTime() > now);

export const dynamoLiveConnectionStore: LiveConnectionStore = {
  async add(s) {
    const key = keyOf(s);
    const ttl = Math.ceil(s.expiresAt.getTime() / 1000) + GRACE_SECONDS;
    // A channel opened again on the same connection replaces the old one.
    await this.remove(s.connectionId, s.name);
    await put({
      ...key,
      type: LIVE_ITEM_TYPE,
      connectionId: s.connectionId,
      name: s.name,
      channel: s.channel,
      holder: s.holder,
      ticket: s.ticket,
      expiresAt: s.expiresAt.getTime(),
      ttl,
    });
    await put({ pk: connectionPartition(s.connectionId), sk: s.name, type: LIVE_ITEM_TYPE, ref: key, ttl });
  },

  async remove(connectionId, name) {
    const pointers = await queryAll({
      KeyConditionExpression: name ? 'pk = :pk AND sk = :sk' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': connectionPartition(connectionId), ...(name && { ':sk': name }) },
    });
    await Promise.all(
      pointers.map(async (p) => {
        await remove(p.ref as Key);
        await remove({ pk: p.pk as string, sk: p.sk as string });
      }),
    );
  },

  async listeners(channel) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': channelPartition(channel) },
    });
    return items.map(fromItem);
  },

  async ticketsOf(tenantId, branchId) {
    return current(
      await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': branchTicketsPartition(tenantId, branchId) },
      }),
    );
  },
};
