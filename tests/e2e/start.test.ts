import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#core/contract/index';
import { type LocalStart, startLocal } from '#tests/support/local-start';

/**
 * `npm start` for real: `tsx local/start.ts` in a child process, against the test run's DynamoDB
 * Local (DYNAMODB_ENDPOINT) with its own table and data directory.
 */

const hasLogin = routes.some((r) => r.method === 'POST' && r.path === '/v1/auth/login');

let server: LocalStart;

beforeAll(async () => {
  server = await startLocal('start', { timeoutMs: 60_000 });
}, 90_000);

afterAll(() => server?.kill());

describe('npm start', () => {
  const output = () => server.output();
  it('prints the API URL, the docs URL and the demo credentials', () => {
    expect(output()).toContain('Queueline is running');
    expect(output()).toMatch(new RegExp(`API\\s+http://localhost:${server.port}/v1`));
    expect(output()).toMatch(new RegExp(`Docs\\s+http://localhost:${server.port}/docs`));
    expect(output()).toMatch(/Demo login\s+tenant "demo", username "admin", password "[^"]+"/);
  });

  it('serves the API on $PORT', async () => {
    const res = await fetch(`${server.base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${server.base}/docs`)).status).toBe(200);
  });

  it('saves the demo credentials it printed to $DATA_DIR/demo-credentials.json', () => {
    const file = join(server.dataDir, 'demo-credentials.json');
    expect(existsSync(file), `${file} missing`).toBe(true);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toEqual({ tenant: 'demo', username: 'admin', password: expect.any(String) });
    expect(saved.password.length).toBeGreaterThanOrEqual(10);
    expect(output()).toContain(`password "${saved.password}"`);
  });

  it.skipIf(!hasLogin)('logs the demo admin in with the printed credentials', async () => {
    const [, tenant, username, password] =
      /tenant "([^"]+)", username "([^"]+)", password "([^"]+)"/.exec(output()) ?? [];
    const res = await fetch(`${server.base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant, username, password }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer' });
  });

  it('stops on SIGTERM with exit code 0 and removes its runtime file', async () => {
    expect(existsSync(join(server.dataDir, 'runtime.json'))).toBe(true);
    server.child.kill('SIGTERM');
    const code = await Promise.race([
      server.exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000)),
    ]);
    expect(code, output()).toBe(0);
    expect(existsSync(join(server.dataDir, 'runtime.json'))).toBe(false);
  });
});
