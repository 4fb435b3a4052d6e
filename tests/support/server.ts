import type http from 'node:http';
import type { RouteDef } from '#core/contract/define';
import { routes as allRoutes } from '#core/contract/index';
import { createServer, listen } from '#local/server';

export interface TestServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

/**
 * The local server (the same one `npm start` runs) on a free port of 127.0.0.1, in this process,
 * for HTTP end-to-end tests. Call `createTestEnv()` first: the handlers use its table and keys.
 */
export async function startTestServer(options: { routes?: readonly RouteDef[] } = {}): Promise<TestServer> {
  const server = createServer(options.routes ?? allRoutes);
  const url = await listen(server, 0, '127.0.0.1');
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
