import type { TodayStore } from '#core/ports/today';
import { PRIORITY_PREFIX } from './items/priority';
import { tenantPartition } from './items/tenant';
import { ticketKey } from './items/ticket';
import { userKey } from './items/user';
import { getMany, queryAll } from './operations';

/**
 * The manager's "today" beyond the setup read: one Query of the tenant's priorities (rank and
 * target only) and, for the counters busy with a ticket, two BatchGets — the tickets' `servedBy`,
 * then those users' names. Bounded by the setup, whatever the number of tickets.
 */
export const dynamoTodayStore: TodayStore = {
  async targetsByRank(tenantId) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': PRIORITY_PREFIX },
      ProjectionExpression: '#rank, targetWaitMinutes, deletedAt',
      ExpressionAttributeNames: { '#rank': 'rank' },
    });
    const targets = new Map<number, number>();
    for (const item of items) {
      if (item.deletedAt) continue;
      const rank = item.rank as number;
      const target = item.targetWaitMinutes as number;
      targets.set(rank, Math.min(target, targets.get(rank) ?? target));
    }
    return targets;
  },

  async servers(tenantId, ticketIds) {
    if (ticketIds.length === 0) return new Map();
    const tickets = await getMany(
      [...new Set(ticketIds)].map((id) => ticketKey(tenantId, id)),
      ['id', 'servedBy'],
    );
    const servedBy = new Map(
      tickets
        .filter((t) => typeof t.servedBy === 'string')
        .map((t) => [t.id as string, t.servedBy as string]),
    );
    if (servedBy.size === 0) return new Map();
    const users = await getMany(
      [...new Set(servedBy.values())].map((id) => userKey(tenantId, id)),
      ['id', 'fullName'],
    );
    const names = new Map(users.map((u) => [u.id as string, u.fullName as string]));
    const agents = new Map<string, { id: string; fullName: string }>();
    for (const [ticketId, userId] of servedBy) {
      const fullName = names.get(userId);
      if (fullName !== undefined) agents.set(ticketId, { id: userId, fullName });
    }
    return agents;
  },
};
