import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { routes } from '../../infra/routes';
import { freePort } from '../../local/dynamodb-local';

/**
 * `npm start` for real: `tsx local/start.ts` in a child process, against the test run's DynamoDB
 * Local (DYNAMODB_ENDPOINT) with its own table and data directory.
 */

const hasLogin = routes.some((r) => r.method === 'POST' && r.path === '/v1/auth/login');

let child: ChildProcess;
let output = '';
let port: number;
let dataDir: string;
let base: string;
let exitResolve!: (code: number | null) => void;
const exited = new Promise<number | null>((resolve) => {
  exitResolve = resolve;
});

beforeAll(async () => {
  port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'queueline-start-'));
  const { DEMO_ADMIN_PASSWORD: _, OUTBOX_DIR: __, HOST: ___, ...inherited } = process.env;
  child = spawn('node_modules/.bin/tsx', ['local/start.ts'], {
    env: {
      ...inherited,
      PORT: String(port),
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      TABLE_NAME: `start-${process.pid}-${Date.now().toString(36)}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: if a test fails midway, afterAll ends tsx and the node it started.
    detached: true,
  });
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  child.once('exit', (code) => exitResolve(code));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 60_000);
    const check = () => {
      // The banner is one console.log: wait for its last line.
      if (/Queueline is running[\s\S]*demo-credentials\.json/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  base = `http://127.0.0.1:${port}`;
}, 90_000);

afterAll(() => {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
});

describe('npm start', () => {
  it('prints the API URL, the docs URL and the demo credentials', () => {
    expect(output).toContain('Queueline is running');
    expect(output).toMatch(new RegExp(`API\\s+http://localhost:${port}/v1`));
    expect(output).toMatch(new RegExp(`Docs\\s+http://localhost:${port}/docs`));
    expect(output).toMatch(/Demo login\s+tenant "demo", username "admin", password "[^"]+"/);
  });

  it('serves the API on $PORT', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/docs`)).status).toBe(200);
  });

  it('saves the demo credentials it printed to $DATA_DIR/demo-credentials.json', () => {
    const file = join(dataDir, 'demo-credentials.json');
    expect(existsSync(file), `${file} missing`).toBe(true);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toEqual({ tenant: 'demo', username: 'admin', password: expect.any(String) });
    expect(saved.password.length).toBeGreaterThanOrEqual(10);
    expect(output).toContain(`password "${saved.password}"`);
  });

  it.skipIf(!hasLogin)('logs the demo admin in with the printed credentials', async () => {
    const [, tenant, username, password] =
      /tenant "([^"]+)", username "([^"]+)", password "([^"]+)"/.exec(output) ?? [];
    const res = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant, username, password }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer' });
  });

  it('stops on SIGTERM with exit code 0 and removes its runtime file', async () => {
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(true);
    child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000)),
    ]);
    expect(code, output).toBe(0);
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
  });
});
