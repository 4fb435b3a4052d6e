import type { DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoLiveConnectionStore as registry } from '#core/adapters/dynamo/live-connection-store';
import { dynamoRevocationStore } from '#core/adapters/dynamo/revocation-store';
import { branchChangesOf, type StreamRecord } from '#core/adapters/dynamo/stream';
import { isRevoked } from '#core/domain/revocation';
import type { LiveSubscription } from '#core/ports/live';
import { revocationCache } from '#core/usecases/identity/revocation-cache';
import { fanOut, type LiveAudience } from '#core/usecases/live/fan-out';
import { publicTicketContext } from './commons/context';
import { push } from './commons/live-push';

/** Revocations per tenant, cached ≤ 30 s like every verifier's. */
const revocations = revocationCache(dynamoRevocationStore);

/**
 * A branch channel lives as long as its token: expired or revoked, it ends (`ended` 401, and
 * the client subscribes again with a fresh token) instead of getting the change.
 */
async function stillOpen(s: LiveSubscription, now: Date): Promise<boolean> {
  const expired = s.expiresAt <= now;
  if (!expired && !(s.holder && isRevoked(await revocations.get(s.holder.tenantId, now), s.holder)))
    return true;
  await push(s.connectionId, {
    type: 'ended',
    channel: s.name,
    status: 401,
    title: expired ? 'The access token expired' : 'The access token was revoked',
  });
  await registry.remove(s.connectionId, s.name);
  return false;
}

/**
 * The table stream's subscriber (infra/live.ts): the same decoding and fan-out as the local
 * push server, over the connection registry — one query per changed branch channel and one per
 * changed branch's ticket channels, whatever the number of viewers — then one message per
 * listening connection. Branch channels are re-checked here, at each change: their token's
 * expiry and the tenant's revocations.
 */
export async function handler(event: DynamoDBStreamEvent) {
  const changes = branchChangesOf(event.Records as StreamRecord[]);
  if (changes.length === 0) return;
  const now = new Date();
  const listeners = new Map<string, LiveSubscription[]>();
  const branchListeners = async (channel: string) => {
    if (!listeners.has(channel)) {
      const all = await registry.listeners(channel);
      const open = await Promise.all(all.map((s) => stillOpen(s, now)));
      listeners.set(
        channel,
        all.filter((_, i) => open[i]),
      );
    }
    return listeners.get(channel)!;
  };
  const audience: LiveAudience = {
    // Ticket channels are known once their branch's were read (fanOut reads those first).
    listens: async (channel) =>
      channel.startsWith('ticket#')
        ? (listeners.get(channel)?.length ?? 0) > 0
        : (await branchListeners(channel)).length > 0,
    async ticketsOf(tenantId, branchId) {
      const open = await registry.ticketsOf(tenantId, branchId);
      for (const s of open) listeners.set(s.channel, [...(listeners.get(s.channel) ?? []), s]);
      return open.map((s) => s.ticket!.listener);
    },
  };
  const deliveries = await fanOut(publicTicketContext({ now }), changes, audience);
  await Promise.all(
    deliveries.flatMap((delivery) =>
      (listeners.get(delivery.channel) ?? []).map(async (s) => {
        await push(s.connectionId, { ...delivery.message, channel: s.name });
        // A ticket that moved to another line: later moves of that line concern it.
        if (s.ticket && delivery.listener && delivery.listener.waitingIn !== s.ticket.listener.waitingIn)
          await registry.add({ ...s, ticket: { ...s.ticket, listener: delivery.listener } });
      }),
    ),
  );
}
