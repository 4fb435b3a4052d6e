import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { freePort } from '#local/dynamodb-local';

/** `npm start` in a child process, up and serving (its banner printed). */
export interface LocalStart {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  dataDir: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code, once it exits. */
  exited: Promise<number | null>;
  /** Ends tsx and the node it started (its own process group), if still running. */
  kill(): void;
}

/**
 * `npm start` for real: `tsx local/start.ts` against the test run's DynamoDB Local
 * (DYNAMODB_ENDPOINT) with its own table and a fresh DATA_DIR; settings of the calling shell that
 * would change what it prints (demo password, outbox, host, app URL) are left out unless `env`
 * sets them. Resolves once the banner's last line (the credentials file) is out.
 */
export async function startLocal(
  name: string,
  { env = {}, timeoutMs }: { env?: Record<string, string>; timeoutMs: number },
): Promise<LocalStart> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `queueline-${name}-`));
  const { DEMO_ADMIN_PASSWORD: _, OUTBOX_DIR: __, HOST: ___, APP_URL: ____, ...inherited } = process.env;
  const child = spawn('node_modules/.bin/tsx', ['local/start.ts'], {
    env: {
      ...inherited,
      PORT: String(port),
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      TABLE_NAME: `${name}-${process.pid}-${Date.now().toString(36)}`,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: if a test fails midway, kill() ends tsx and the node it started.
    detached: true,
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const kill = () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`npm start did not come up:\n${output}`));
    }, timeoutMs);
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
  return { child, port, base: `http://127.0.0.1:${port}`, dataDir, output: () => output, exited, kill };
}
