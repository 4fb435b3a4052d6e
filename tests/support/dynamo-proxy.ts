import net from 'node:net';

/**
 * A TCP proxy in front of DynamoDB Local that fails the way a network does, below the SDK: the
 * client's own timeouts, retries and abort handling all run as they would against DynamoDB.
 *
 * Modes (switch at any time with `set`; requests held at the switch are cut off):
 *  - `pass`: forwards both ways.
 *  - `refuse`: stops listening and resets every open connection, so connects fail with
 *    ECONNREFUSED (the port is listened on again when the mode changes).
 *  - `reset`: accepts, and answers a request by resetting the connection (ECONNRESET).
 *  - `stall`: swallows a request without forwarding or answering it (a hung database or network).
 *  - `drop-answer`: forwards the request, then resets the connection as the answer comes back —
 *    the request took effect, the client never learns it.
 *  - `hold-answer`: forwards the request and never passes the answer back (the connection hangs
 *    after the write landed).
 * Except `refuse`, a mode applies to `times` requests (default every one), optionally only to
 * one DynamoDB operation (`TransactWriteItems`, read from the X-Amz-Target header); other
 * requests pass.
 */
export type ProxyMode = 'pass' | 'refuse' | 'reset' | 'stall' | 'drop-answer' | 'hold-answer';

export interface ProxyOptions {
  /** The DynamoDB operation to fault; others pass. */
  operation?: string;
  /** How many requests to fault; then requests pass. */
  times?: number;
}

export interface DynamoProxy {
  endpoint: string;
  set(mode: ProxyMode, options?: ProxyOptions): Promise<void>;
  /** Requests faulted since the last `set`. */
  faulted(): number;
  close(): Promise<void>;
}

interface Connection {
  client: net.Socket;
  upstream?: net.Socket;
  /** What happens to the request in flight (requests on one connection take turns). */
  fault?: Exclude<ProxyMode, 'pass' | 'refuse'>;
}

export async function startDynamoProxy(target: string): Promise<DynamoProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const connections = new Set<Connection>();
  let mode: ProxyMode = 'pass';
  let options: ProxyOptions = {};
  let faulted = 0;

  const kill = (c: Connection) => {
    if (!c.client.destroyed) c.client.resetAndDestroy();
    c.upstream?.destroy();
    connections.delete(c);
  };

  const upstreamOf = (c: Connection) => {
    if (!c.upstream) {
      const upstream = net.connect(Number(targetPort), hostname);
      upstream.on('data', (chunk) => {
        if (c.fault === 'drop-answer') kill(c);
        else if (c.fault !== 'hold-answer') c.client.write(chunk);
      });
      upstream.on('error', () => kill(c));
      upstream.on('close', () => kill(c));
      c.upstream = upstream;
    }
    return c.upstream;
  };

  const faultFor = (head: string): Connection['fault'] => {
    if (mode === 'pass' || mode === 'refuse') return undefined;
    if ((options.times ?? Number.POSITIVE_INFINITY) <= faulted) return undefined;
    if (
      options.operation &&
      !head.includes(`x-amz-target: dynamodb_20120810.${options.operation.toLowerCase()}`)
    )
      return undefined;
    faulted++;
    return mode;
  };

  const server = net.createServer((client) => {
    const c: Connection = { client };
    connections.add(c);
    client.on('data', (chunk: Buffer) => {
      const head = chunk.toString('latin1').toLowerCase();
      // A request starts with its request line; the rest of a long body arrives without one.
      if (head.startsWith('post ')) c.fault = faultFor(head);
      if (c.fault === 'reset') return kill(c);
      if (c.fault === 'stall') return;
      upstreamOf(c).write(chunk);
    });
    client.on('error', () => kill(c));
    client.on('close', () => kill(c));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    async set(next, nextOptions = {}) {
      const previous = mode;
      mode = next;
      options = nextOptions;
      faulted = 0;
      // Requests held under the old mode are not answered any more; idle connections stay.
      for (const c of [...connections]) if (next === 'refuse' || c.fault) kill(c);
      if (next === 'refuse' && previous !== 'refuse') {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      } else if (previous === 'refuse' && next !== 'refuse') {
        await listen(port);
      }
    },
    faulted: () => faulted,
    async close() {
      for (const c of [...connections]) kill(c);
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
