import { mkdtempSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantPartition } from '#core/adapters/dynamo/items/tenant';
import { routes } from '#core/contract/index';
import { type DemoCredentials, seedDemo } from '#local/seed';
import { createServer, listen } from '#local/server';
import { ensureWebBuild, serveWeb, WEB_DIST } from '#local/web';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/**
 * HTTP hygiene over real HTTP against the local server `npm start` runs (API and web app): HEAD,
 * the Bearer scheme in any case, 415, nosniff, no-store, sealed cursors, and the web app's
 * security headers.
 */

let server: http.Server;
let base: string;
let token: string;
let tenantId: string;
let branchId: string;
let demo: DemoCredentials;

beforeAll(async () => {
  const env = await createTestEnv();
  const f = await createBranchFixture({
    priorities: { A: { rank: 1 }, B: { rank: 2 }, C: { rank: 3 } },
    queues: { G: { priority: 'A' } },
  });
  ({ tenantId, branchId } = f);
  token = await mintToken(env.signingKey, { tenantId, role: 'admin' });
  demo = await seedDemo({ dataDir: mkdtempSync(join(tmpdir(), 'queueline-hygiene-e2e-')) });
  await ensureWebBuild();
  server = createServer(routes, serveWeb);
  base = await listen(server, 0);
}, 120_000);
afterAll(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const auth = (scheme = 'Bearer') => ({ authorization: `${scheme} ${token}` });

/** Response headers of the resource: not those that differ between any two answers, nor hop-by-hop ones. */
const stable = (headers: Headers) =>
  Object.fromEntries(
    [...headers].filter(([name]) => !['date', 'x-request-id', 'connection', 'keep-alive'].includes(name)),
  );

describe('HEAD over HTTP', () => {
  it.each([
    ['/health', false],
    ['/openapi.json', false],
    ['/docs', false],
    ['/v1/priorities', true],
    [`/v1/branches/{branch}/board`, true],
  ])('HEAD %s: the status and headers of GET, no body', async (template, withToken) => {
    const path = template.replace('{branch}', branchId);
    const headers = withToken ? auth() : undefined;
    const get = await fetch(`${base}${path}`, { headers });
    const head = await fetch(`${base}${path}`, { method: 'HEAD', headers });
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    const { 'content-length': _, etag: getTag, ...getHeaders } = stable(get.headers);
    const { 'content-length': __, etag: headTag, ...headHeaders } = stable(head.headers);
    expect(headHeaders).toEqual(getHeaders);
    expect(headTag).toBe(getTag);
    expect(await head.text()).toBe('');
  });
});

describe('requests', () => {
  it('the auth scheme is matched case-insensitively', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const res = await fetch(`${base}/v1/priorities`, { headers: auth(scheme) });
      expect(res.status, scheme).toBe(200);
    }
  });

  it('a JSON body sent as text/plain is 415 and creates nothing', async () => {
    const count = async () =>
      ((await (await fetch(`${base}/v1/priorities?limit=100`, { headers: auth() })).json()) as any).items
        .length;
    const before = await count();
    for (const headers of [{ 'content-type': 'text/plain' }, {}] as Array<Record<string, string>>) {
      const res = await fetch(`${base}/v1/priorities`, {
        method: 'POST',
        headers: { ...auth(), ...headers },
        body: JSON.stringify({ name: 'Plain', rank: 4 }),
      });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(await count()).toBe(before);
  });

  it('an edited or forged cursor is 400 naming query.cursor; the issued one works', async () => {
    const first = (await (await fetch(`${base}/v1/priorities?limit=1`, { headers: auth() })).json()) as any;
    const cursor: string = first.nextCursor;
    const ok = await fetch(`${base}/v1/priorities?limit=1&cursor=${encodeURIComponent(cursor)}`, {
      headers: auth(),
    });
    expect(ok.status).toBe(200);
    const forged = Buffer.from(JSON.stringify({ pk: tenantPartition(tenantId) })).toString('base64url');
    for (const bad of [`${cursor.slice(0, 5)}x${cursor.slice(6)}`, cursor.slice(0, -3), forged]) {
      const res = await fetch(`${base}/v1/users?cursor=${encodeURIComponent(bad)}`, { headers: auth() });
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as any).errors).toEqual([
        { path: 'query.cursor', message: 'Invalid cursor' },
      ]);
    }
  });
});

describe('response headers', () => {
  it('X-Content-Type-Options: nosniff on 200, 304, 400, 401, 404, 405 and 413', async () => {
    const board = `${base}/v1/branches/${branchId}/board`;
    const etag = (await fetch(board, { headers: auth() })).headers.get('etag')!;
    const answers = [
      await fetch(`${base}/health`),
      await fetch(board, { headers: { ...auth(), 'if-none-match': etag } }),
      await fetch(`${base}/v1/priorities?limit=0`, { headers: auth() }),
      await fetch(`${base}/v1/priorities`),
      await fetch(`${base}/v1/nothing-here`),
      await fetch(`${base}/health`, { method: 'POST' }),
      await fetch(`${base}/v1/priorities`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: 'x'.repeat(70 * 1024),
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 304, 400, 401, 404, 405, 413]);
    for (const res of answers)
      expect(res.headers.get('x-content-type-options'), `${res.status}`).toBe('nosniff');
  });

  it('login and refresh answer Cache-Control: no-store', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const login = await post('/v1/auth/login', demo);
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const { refreshToken } = (await login.json()) as { refreshToken: string };
    const refreshed = await post('/v1/auth/refresh', { refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the web app', () => {
  const expectAppHeaders = (res: Response, what: string) => {
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp, what).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(csp, what).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
    expect(csp, what).toMatch(/(^|; )default-src 'self'(;|$)/);
    expect(csp, what).not.toContain('unsafe-inline');
    expect(csp, what).not.toContain('unsafe-eval');
    expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  };

  it('is served with a CSP without inline script, no framing, no referrer and nosniff', async () => {
    const page = await fetch(`${base}/app/`);
    expect(page.status).toBe(200);
    expectAppHeaders(page, '/app/');
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) expectAppHeaders(await fetch(`${base}/app/${asset}`), asset);
    expectAppHeaders(await fetch(`${base}/app/#/board`), 'a route of the app');
    expectAppHeaders(await fetch(`${base}/app/missing.png`), 'a missing file');
  });

  it('the built index.html has no inline script or style (the CSP would block them)', () => {
    const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/\bsrc="/);
      expect(content!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
  });
});
