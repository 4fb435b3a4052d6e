import type { DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoLiveConnectionStore as registry } from '#core/adapters/dynamo/live-connection-store';
import { branchChangesOf, type StreamRecord } from '#core/adapters/dynamo/stream';
import type { LiveSubscription } from '#core/ports/live';
import { fanOut, type LiveAudience } from '#core/usecases/live/fan-out';
import { publicTicketContext } from './commons/context';
import { push } from './commons/live-push';

/**
 * The table stream's subscriber (infra/live.ts): the same decoding and fan-out as the local
 * push server, over the connection registry — one query per changed branch channel and one per
 * changed branch's ticket channels, whatever the number of viewers — then one message per
 * listening connection.
 */
export async function handler(event: DynamoDBStreamEvent) {
  const changes = branchChangesOf(event.Records as StreamRecord[]);
  if (changes.length === 0) return;
  const listeners = new Map<string, LiveSubscription[]>();
  const branchListeners = async (channel: string) => {
    if (!listeners.has(channel)) listeners.set(channel, await registry.listeners(channel));
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
  const deliveries = await fanOut(publicTicketContext({ now: new Date() }), changes, audience);
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
