import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { type WebSocket, WebSocketServer } from 'ws';
import { branchChangesOf, type StreamRecord } from '#core/adapters/dynamo/stream';
import { LIVE_PATH, type LiveServerMessage } from '#core/contract/live';
import { canAccessBranch } from '#core/domain/actor';
import { DomainError } from '#core/domain/errors';
import { fanOut, type LiveAudience, type TicketListener } from '#core/usecases/live/fan-out';
import { authenticate } from '#functions/commons/auth';
import { publicTicketContext } from '#functions/commons/context';
import { notAFrame, openChannel, parseFrame, problemOf } from '#functions/commons/live';

/**
 * The local push server of `npm start` (docs/live.md): the live protocol on its own port,
 * fed by DynamoDB Local's change stream through the same fan-out as the stream subscriber
 * function in AWS.
 */

/** How often an open branch channel's access token is checked again (expiry, revocation). */
export const RECHECK_MS = 30_000;
const POLL_MS = 50;
const SHARD_SCAN_MS = 1000;

interface Subscription {
  ws: WebSocket;
  /** The channel as the client named it. */
  name: string;
  channel: string;
  branch?: { branchId: string; token: string };
  ticket?: { tenantId: string; branchId: string; listener: TicketListener };
}

const localClient = <T>(Client: new (config: object) => T, endpoint: string) =>
  new Client({
    endpoint,
    region: process.env.AWS_REGION ?? 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/**
 * Follows a table's stream from now on: every shard open at start from its latest record,
 * shards that appear later from their first. Passes each non-empty batch to `onRecords`, one
 * at a time and in order.
 */
export function followStream(
  { endpoint, tableName }: { endpoint: string; tableName: string },
  onRecords: (records: StreamRecord[]) => Promise<void>,
  log: (line: string) => void,
): { stop(): Promise<void> } {
  const streams = localClient(DynamoDBStreamsClient, endpoint);
  const dynamo = localClient(DynamoDBClient, endpoint);
  const iterators = new Map<string, string | null>();
  let stopped = false;
  let streamArn: string | undefined;
  let lastScan = 0;

  const iterator = async (shardId: string, type: ShardIteratorType) =>
    (
      await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type }),
      )
    ).ShardIterator ?? null;

  async function scanShards(first: boolean) {
    streamArn ??= (await dynamo.send(new DescribeTableCommand({ TableName: tableName }))).Table
      ?.LatestStreamArn;
    if (!streamArn) throw new Error(`The table ${tableName} has no stream`);
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (iterators.has(id)) continue;
      const open = !shard.SequenceNumberRange?.EndingSequenceNumber;
      if (first && !open) iterators.set(id, null);
      else iterators.set(id, await iterator(id, first ? 'LATEST' : 'TRIM_HORIZON'));
    }
    lastScan = Date.now();
  }

  const done = (async () => {
    while (!stopped) {
      try {
        if (!streamArn || Date.now() - lastScan > SHARD_SCAN_MS) await scanShards(!streamArn);
        let any = false;
        for (const [id, at] of iterators) {
          if (!at || stopped) continue;
          const page = await streams.send(new GetRecordsCommand({ ShardIterator: at, Limit: 1000 }));
          iterators.set(id, page.NextShardIterator ?? null);
          if (page.Records?.length) {
            any = true;
            await onRecords(page.Records as StreamRecord[]);
          }
        }
        if (!any) await new Promise((r) => setTimeout(r, POLL_MS));
      } catch (error) {
        if (stopped) break;
        log(`live: reading the table's stream failed (${(error as Error).name}); retrying`);
        // Iterators may have expired meanwhile: continue every open shard from its latest record.
        streamArn = undefined;
        iterators.clear();
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      streams.destroy();
      dynamo.destroy();
    },
  };
}

/** The open channels of the server's clients: who listens, and where a message goes. */
function createHub() {
  const byChannel = new Map<string, Set<Subscription>>();
  const ticketsByBranch = new Map<string, Set<Subscription>>();
  const branchKey = (tenantId: string, branchId: string) => `${tenantId}#${branchId}`;
  const remove = (sub: Subscription) => {
    byChannel.get(sub.channel)?.delete(sub);
    if (byChannel.get(sub.channel)?.size === 0) byChannel.delete(sub.channel);
    if (sub.ticket) ticketsByBranch.get(branchKey(sub.ticket.tenantId, sub.ticket.branchId))?.delete(sub);
  };
  const audience: LiveAudience = {
    listens: (channel) => (byChannel.get(channel)?.size ?? 0) > 0,
    ticketsOf: (tenantId, branchId) =>
      [...(ticketsByBranch.get(branchKey(tenantId, branchId)) ?? [])].map((s) => s.ticket!.listener),
  };
  return {
    audience,
    subscriptions: () => [...byChannel.values()].flatMap((set) => [...set]),
    of: (ws: WebSocket, name: string) =>
      [...byChannel.values()].flatMap((set) => [...set]).find((s) => s.ws === ws && s.name === name),
    add(sub: Subscription) {
      const existing = this.of(sub.ws, sub.name);
      if (existing) remove(existing);
      byChannel.set(sub.channel, (byChannel.get(sub.channel) ?? new Set()).add(sub));
      if (sub.ticket) {
        const key = branchKey(sub.ticket.tenantId, sub.ticket.branchId);
        ticketsByBranch.set(key, (ticketsByBranch.get(key) ?? new Set()).add(sub));
      }
    },
    remove,
    listeners: (channel: string) => [...(byChannel.get(channel) ?? [])],
  };
}

const send = (ws: WebSocket, message: LiveServerMessage) => {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
};

export interface LiveServer {
  /** `ws://host:port/live` */
  url: string;
  /** Channels open now (tests). */
  channels(): number;
  close(): Promise<void>;
}

/**
 * Serves the live protocol on `port` and feeds it from the table's stream. `recheckMs`: how
 * often branch channels' tokens are verified again (an expired or revoked token ends them).
 */
export async function startLiveServer({
  port,
  host = '0.0.0.0',
  endpoint,
  tableName,
  recheckMs = RECHECK_MS,
  log = (line: string) => console.error(line),
  consumers = [],
}: {
  port: number;
  host?: string;
  endpoint: string;
  tableName: string;
  recheckMs?: number;
  log?: (line: string) => void;
  /**
   * Other readers of the same stream (the customers' messages, functions/notify.ts): each gets
   * every batch beside the fan-out, as each stream subscriber does in AWS — one poller for all.
   */
  consumers?: ReadonlyArray<{ name: string; onRecords(records: StreamRecord[]): Promise<unknown> }>;
}): Promise<LiveServer> {
  const hub = createHub();
  const wss = new WebSocketServer({ port, host, path: LIVE_PATH, maxPayload: 8 * 1024 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const context = () => publicTicketContext({ now: new Date() });

  async function handle(ws: WebSocket, raw: string) {
    const frame = parseFrame(raw);
    if (!frame) return send(ws, notAFrame);
    if (frame.action === 'unsubscribe') {
      const sub = hub.of(ws, frame.channel);
      if (sub) hub.remove(sub);
      return;
    }
    const result = await openChannel(frame, new Date());
    if ('refused' in result) {
      if (!(result.error instanceof DomainError))
        log(`live: opening a channel failed: ${(result.error as Error).message}`);
      return send(ws, result.refused);
    }
    const { name, channel, branch, ticket, reply } = result.opened;
    hub.add({ ws, name, channel, branch, ticket });
    send(ws, reply);
  }

  wss.on('connection', (ws) => {
    ws.on('message', (data) => void handle(ws, data.toString()));
    ws.on('close', () => {
      for (const sub of hub.subscriptions()) if (sub.ws === ws) hub.remove(sub);
    });
  });

  // Branch channels live as long as their token does: expired, revoked or narrowed → ended.
  const recheck = setInterval(async () => {
    for (const sub of hub.subscriptions()) {
      if (!sub.branch) continue;
      try {
        const actor = await authenticate(`Bearer ${sub.branch.token}`);
        if (
          !actor.permissions.includes('branches:read') ||
          !canAccessBranch(actor.branches, sub.branch.branchId)
        )
          throw new DomainError(403, 'forbidden', 'The token no longer reaches this branch');
      } catch (error) {
        if (!(error instanceof DomainError)) continue;
        hub.remove(sub);
        send(sub.ws, { type: 'ended', channel: sub.name, ...problemOf(error) });
      }
    }
  }, recheckMs);

  async function fanOutRecords(records: StreamRecord[]) {
    const changes = branchChangesOf(records);
    if (changes.length === 0) return;
    try {
      for (const delivery of await fanOut(context(), changes, hub.audience)) {
        for (const sub of hub.listeners(delivery.channel)) {
          if (delivery.listener && sub.ticket) sub.ticket.listener = delivery.listener;
          send(sub.ws, { ...delivery.message, channel: sub.name });
        }
      }
    } catch (error) {
      log(`live: fan-out failed: ${(error as Error).message}`);
    }
  }

  const stream = followStream(
    { endpoint, tableName },
    async (records) => {
      await Promise.all([
        fanOutRecords(records),
        ...consumers.map((consumer) =>
          consumer
            .onRecords(records)
            .catch((error: Error) => log(`${consumer.name}: failed: ${error.message}`)),
        ),
      ]);
    },
    log,
  );

  const address = wss.address() as { port: number };
  return {
    url: `ws://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}${LIVE_PATH}`,
    channels: () => hub.subscriptions().length,
    async close() {
      clearInterval(recheck);
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => wss.close(r));
      await stream.stop();
    },
  };
}
