import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#core/contract/index';
import { deployOf, ESM_BANNER, functionNames } from '#infra/functions';
import { type BundleSize, esbuildOptions, ROOT } from '#scripts/build';

const exec = promisify(execFile);

/**
 * Generous on purpose: it catches regressions (a dependency dragged in by accident, a lost
 * tree-shake), not bytes. Today a route is 440-490 KiB with the DynamoDB client and middy, and
 * the routes without DynamoDB (/docs, /openapi.json, …) 70-160 KiB; mailing functions
 * also carry the SES client (signup ~580 KiB), the message sender SES, SMS and web-push (~740 KiB).
 */
const ceilingKiB = (name: string) => (deployOf(name).sendsMail || deployOf(name).sendsMessages ? 800 : 640);

/**
 * Imports a bundle in a fresh ES-module `node` process, as Lambda's runtime does. Not a plain
 * `node -e` script: that mode defines a global `require`, which hides exactly the
 * "Dynamic require of ... is not supported" crash this check exists to catch. The working
 * directory is the build's temp dir, outside the repo, so nothing resolves from its node_modules.
 */
const LOAD = `const m = await import(process.argv[1]); if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(1); }`;

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _o, NODE_PATH: _p, ...env } = process.env;
  return { ...env, ...extra };
}

async function loadInFreshNode(bundle: string, cwd: string) {
  return exec(process.execPath, ['--input-type=module', '-e', LOAD, pathToFileURL(bundle).href], {
    cwd,
    env: cleanEnv(),
    timeout: 30_000,
  });
}

let outdir: string;
let sizes: Record<string, BundleSize>;

let metafile: Promise<Metafile> | undefined;
/** Whether a function's bundle holds a module, from esbuild's metafile of the same build. */
async function bundledModules() {
  metafile ??= build({
    ...esbuildOptions(functionNames(), join(outdir, 'metafile-check')),
    metafile: true,
    write: false,
  }).then((result) => result.metafile);
  const { outputs } = await metafile;
  const modulesOf = (name: string) => {
    const [, output] = Object.entries(outputs).find(([file]) => file.endsWith(`/${name}.mjs`))!;
    // A module shaken out entirely is still listed, with 0 bytes in the output.
    return Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path);
  };
  const holds = (name: string, module: string) => modulesOf(name).some((path) => path.includes(module));
  return Object.assign(holds, { modulesOf });
}

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'queueline-build-'));
  await exec(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', outdir], {
    cwd: ROOT,
    env: cleanEnv(),
    timeout: 170_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  sizes = JSON.parse(readFileSync(join(outdir, 'sizes.json'), 'utf8'));
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('builds one bundle per function of the contract: its routes, the catch-all and the jobs', () => {
    expect(functionNames()).toEqual(
      expect.arrayContaining([
        ...routes.map((r) => r.function),
        'not-found',
        'nightly-reset',
        'close-branch',
      ]),
    );
    expect(Object.keys(sizes).sort()).toEqual(functionNames());
    for (const name of functionNames()) {
      expect(statSync(join(outdir, `${name}.mjs`)).size).toBe(sizes[name]!.bytes);
    }
  });

  it.concurrent.each(functionNames())(
    '%s.mjs loads in a fresh node process and exports handler',
    async (name) => {
      await expect(loadInFreshNode(join(outdir, `${name}.mjs`), outdir)).resolves.toBeDefined();
    },
  );

  it.each(functionNames().map((name) => [name, ceilingKiB(name)]))(
    '%s.mjs stays under %i KiB',
    (name, kib) => {
      expect(sizes[name]!.bytes).toBeGreaterThan(0);
      expect(sizes[name]!.bytes).toBeLessThan(kib * 1024);
    },
  );

  it('only functions that use them carry the idempotency store, the rate limiter, the token verifier, DynamoDB, tombstones', async () => {
    const holds = await bundledModules();
    const { modulesOf } = holds;
    for (const r of routes) {
      expect(holds(r.function, 'core/adapters/dynamo/idempotency-store'), r.function).toBe(!!r.idempotent);
      expect(holds(r.function, 'core/adapters/dynamo/rate-limit'), r.function).toBe(!!r.rateLimits?.length);
      expect(holds(r.function, 'aws-jwt-verify'), r.function).toBe(r.auth === 'bearer');
      // login and refresh sign with node:crypto; jose is for the local key generation and tests.
      expect(holds(r.function, 'node_modules/jose'), r.function).toBe(false);
    }
    for (const name of ['jwks', 'docs', 'docs-asset', 'openapi', 'not-found']) {
      expect(holds(name, '@aws-sdk/client-dynamodb'), name).toBe(false);
    }
    // /health reads the table to say whether the database answers.
    expect(holds('health', '@aws-sdk/client-dynamodb')).toBe(true);
    // One module builds every context (functions/commons/context.ts) and imports every store: a
    // function still carries only the stores its own context names (and the revocation store of
    // the token check, on bearer routes).
    const storesOf = (name: string) =>
      modulesOf(name)
        .map((m) => /core\/adapters\/dynamo\/([\w-]+-store)\.ts$/.exec(m)?.[1])
        .filter((store) => store !== undefined)
        .sort();
    expect(storesOf('get-ticket')).toEqual(['revocation-store', 'setup-store', 'ticket-store']);
    expect(storesOf('get-branch')).toEqual(['branch-store', 'revocation-store', 'setup-store']);
    expect(storesOf('get-role')).toEqual(['revocation-store', 'role-store']);
    expect(storesOf('logout')).toEqual(['session-store']);
    expect(storesOf('verify-email')).toEqual(['tenant-store']);
  });

  it('a function carries its own entry of the route table, not the rest of its area', () => {
    // Each entry is a file of its own, which its function imports alone. A literal summary is
    // the trace an entry leaves; the setup entries build theirs from a template, so they are not
    // counted.
    const bundles = new Map(
      functionNames().map((name) => [name, readFileSync(join(outdir, `${name}.mjs`), 'utf8')]),
    );
    let checked = 0;
    for (const r of routes) {
      const holders = [...bundles].filter(([, code]) => code.includes(r.summary)).map(([name]) => name);
      if (!holders.includes(r.function)) continue;
      checked++;
      // openapi documents every route: it imports the whole table on its first request; the
      // catch-all (not-found) matches a path against every entry's to answer 405 with Allow.
      expect(
        holders.filter((name) => name !== r.function && name !== 'openapi' && name !== 'not-found'),
        r.summary,
      ).toEqual([]);
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('no function but openapi carries a response schema', async () => {
    // Routes name their answers; the schemas are for the OpenAPI generator (docs/performance.md §1).
    const holds = await bundledModules();
    const holders = functionNames().filter((name) => holds(name, 'core/contract/schemas/responses/'));
    expect(holders).toEqual(['openapi']);
  });

  it.runIf(functionNames().includes('docs-asset'))(
    'docs-asset serves Swagger UI from the files copied next to its bundle',
    async () => {
      const script = `
        const { handler } = await import(process.argv[1]);
        const res = await handler({
          version: '2.0', routeKey: 'GET /docs/{asset}', rawPath: '/docs/swagger-ui.css', rawQueryString: '',
          headers: {}, pathParameters: { asset: 'swagger-ui.css' }, isBase64Encoded: false,
          requestContext: { requestId: 'build-test', http: { method: 'GET', path: '/docs/swagger-ui.css', sourceIp: '127.0.0.1' } },
        }, {});
        console.log(JSON.stringify({ status: res.statusCode, type: res.headers?.['content-type'], length: res.body?.length }));`;
      const { stdout } = await exec(
        process.execPath,
        ['--input-type=module', '-e', script, pathToFileURL(join(outdir, 'docs-asset.mjs')).href],
        { cwd: outdir, env: cleanEnv({ LOG_LEVEL: 'silent' }), timeout: 30_000 },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(result.status).toBe(200);
      expect(result.type).toMatch(/^text\/css/);
      expect(result.length).toBeGreaterThan(10_000);
    },
  );

  it('the load check catches a bundle built without the ESM settings (Dynamic require)', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'queueline-bad-build-'));
    try {
      // CJS entry points of the AWS SDK and no createRequire banner: what esbuild does by default.
      // A function that uses DynamoDB.
      const options = esbuildOptions(['list-branches'], bad);
      expect(options.banner).toEqual({ js: ESM_BANNER });
      await build({ ...options, banner: {}, mainFields: ['main'] });
      await expect(loadInFreshNode(join(bad, 'list-branches.mjs'), bad)).rejects.toThrow(
        /Dynamic require of/,
      );
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
