import http from 'node:http';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#core/contract/index';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv } from '#tests/support/env';
import { startTestServer, type TestServer } from '#tests/support/server';
import { mintToken } from '#tests/support/tokens';

/** The local server over real HTTP: what a browser or curl sees of `npm start`. */

let server: TestServer;
let f: BranchFixture;
let token: string;
beforeAll(async () => {
  const env = await createTestEnv();
  server = await startTestServer();
  f = await createBranchFixture({ counters: { D: { queues: ['G'], allowStealing: false } } });
  token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
});
afterAll(async () => {
  await server?.close();
});

const url = (path: string) => `${server.url}${path}`;
const auth = () => ({ authorization: `Bearer ${token}` });

const BODY_LIMIT = 64 * 1024;
/** A route that takes a body, with made-up ids: the server must refuse big bodies before routing work. */
const bodyRoute = routes.find((r) => r.method === 'POST') ?? routes.find((r) => r.path === '/health')!;
const bodyPath = bodyRoute.path.replace(/\{\w+\}/g, () => ulid());

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(await res.json()).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Request body bytes written before the answer arrived. */
  sent: number;
  /** Whether the server closed the connection after answering. */
  closed: boolean;
}

/**
 * Sends a POST whose body is produced by `write` (which is told to stop once the answer has
 * arrived) and resolves with the answer: proves the server answers without reading everything.
 */
async function rawPost(
  headers: http.OutgoingHttpHeaders,
  write: (req: http.ClientRequest, answered: () => boolean) => Promise<number>,
): Promise<RawAnswer> {
  const req = http.request(new URL(bodyPath, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
  });
  req.on('error', () => {}); // writes after the server hung up
  let answered = false;
  const answer = new Promise<Omit<RawAnswer, 'sent'>>((resolve) => {
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => {
        const done = (closed: boolean) =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, closed });
        const socket = req.socket;
        if (!socket || socket.destroyed) return done(true);
        const timer = setTimeout(() => done(false), 2000);
        socket.once('close', () => {
          clearTimeout(timer);
          done(true);
        });
      });
    });
  });
  const sent = await write(req, () => answered);
  const result = await answer;
  req.destroy();
  return { ...result, sent };
}

describe('local server over HTTP', () => {
  it('GET /health answers 200 with CORS and a request id', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('GET /openapi.json is an OpenAPI 3.1 document with every route of the table', async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    for (const r of routes) {
      expect(document.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    }
  });

  it('GET /docs is an HTML page whose scripts and styles come from this server', async () => {
    const page = `${server.url}/docs`;
    const res = await fetch(page);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const refs = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(2);
    const kinds = new Set<string>();
    for (const ref of refs) {
      const url = new URL(ref, page);
      expect(url.origin, ref).toBe(server.url);
      const asset = await fetch(url);
      expect(asset.status, ref).toBe(200);
      const type = asset.headers.get('content-type') ?? '';
      expect(type, ref).toMatch(/^(text\/css|text\/javascript)/);
      kinds.add(type.split(';')[0]!);
      expect((await asset.text()).length).toBeGreaterThan(0);
    }
    expect(kinds).toEqual(new Set(['text/css', 'text/javascript']));
    const init = await (await fetch(new URL(refs.at(-1)!, page))).text();
    const spec = /url:\s*'([^']+)'/.exec(init)?.[1];
    expect(new URL(spec!, page).href).toBe(`${server.url}/openapi.json`);
  });

  it('answers an unknown route with 404, a known path with another method with 405 + Allow', async () => {
    await expectProblem(await fetch(`${server.url}/v1/nothing-here`), 404);
    const wrongMethod = await fetch(`${server.url}/health`, { method: 'DELETE' });
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    await expectProblem(wrongMethod, 405);
    await expectProblem(await fetch(`${server.url}/%E0%A4%A`), 400);
  });

  it('answers a CORS preflight with 204 and the allowed methods and headers', async () => {
    const res = await fetch(`${server.url}${bodyPath}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(res.headers.get('access-control-allow-headers')).toContain('idempotency-key');
  });

  it(`refuses a 100 KiB body by its Content-Length without reading it (${bodyRoute.method} ${bodyRoute.path})`, async () => {
    const answer = await rawPost({ 'content-length': String(100 * 1024) }, async (req) => {
      req.write('{"note":"'); // the rest never comes: only the declared length can explain a 413
      return 9;
    });
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413, title: expect.any(String) });
    expect(answer.closed).toBe(true);
  });

  it('refuses a chunked body once it passes 64 KiB, and hangs up', async () => {
    const answer = await rawPost({ 'transfer-encoding': 'chunked' }, async (req, answered) => {
      const chunk = Buffer.alloc(16 * 1024, 'a');
      let sent = 0;
      while (!answered() && sent < 64 * 1024 * 1024 && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r).once('close', r));
        await new Promise((r) => setImmediate(r));
      }
      return sent;
    });
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.sent).toBeGreaterThan(BODY_LIMIT);
    expect(answer.sent).toBeLessThan(16 * 1024 * 1024);
    expect(answer.closed).toBe(true);
  });

  it('accepts a body just under the limit (and answers it with the route, not 413)', async () => {
    const body = JSON.stringify({ note: 'x'.repeat(BODY_LIMIT - 100) });
    const res = await fetch(`${server.url}${bodyPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).not.toBe(413);
    expect(res.status).toBeLessThan(500);
  });
});

describe('system routes', () => {
  it('GET /health → 200 { status: "ok" }', async () => {
    const res = await fetch(url('/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /openapi.json is OpenAPI 3.1; GET /docs is HTML; GET /.well-known/jwks.json lists keys', async () => {
    const doc: any = await (await fetch(url('/openapi.json'))).json();
    expect(doc.openapi).toMatch(/^3\.1\./);
    const docs = await fetch(url('/docs'));
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    const jwks: any = await (await fetch(url('/.well-known/jwks.json'))).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k.kid).toEqual(expect.any(String));
      expect(k.d).toBeUndefined(); // never the private part
    }
  });
});

describe('unknown routes are 404, known paths with another method 405', () => {
  it.each([
    ['GET', '/v1/nothing-here'],
    ['GET', '/v2/priorities'],
    ['PUT', '/v1/nothing-here'],
    ['POST', `/v1/branches/${ulid()}/board/x`],
  ])('%s %s → 404', async (method, path) => {
    await expectProblem(await fetch(url(path), { method, headers: auth() }), 404);
  });

  it.each([
    ['PUT', '/v1/priorities', 'GET, HEAD, POST'],
    ['POST', `/v1/branches/${ulid()}/board`, 'GET, HEAD'],
    ['GET', `/v1/branches/${ulid()}/tickets/${ulid()}/start`, 'POST'],
    ['DELETE', '/v1/permissions', 'GET, HEAD'],
  ])('%s %s → 405, Allow: %s', async (method, path, allow) => {
    const res = await fetch(url(path), { method, headers: auth() });
    expect(res.headers.get('allow')).toBe(allow);
    await expectProblem(res, 405);
  });

  it('401 carries WWW-Authenticate: Bearer over HTTP', async () => {
    const res = await fetch(url('/v1/me'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('action routes accept no body or {} over HTTP', () => {
  const variants: Array<[string, RequestInit]> = [
    ['no body, no content-type', {}],
    [
      'empty body with content-type: application/json',
      { headers: { 'content-type': 'application/json' }, body: '' },
    ],
    [
      '{} with content-type: application/json',
      { headers: { 'content-type': 'application/json' }, body: '{}' },
    ],
    [
      '{} as application/json; charset=utf-8',
      { headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{}' },
    ],
  ];

  it.each(variants)('%s', async (_, init) => {
    const post = (path: string) =>
      fetch(url(path), { ...init, method: 'POST', headers: { ...auth(), ...(init.headers as object) } });
    const issued = await fetch(url(`/v1/branches/${f.branchId}/tickets`), {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ queueId: f.queues.G!.id }),
    });
    expect(issued.status).toBe(201);
    const { ticket } = (await issued.json()) as any;
    const called = await post(`/v1/branches/${f.branchId}/counters/${f.counters.D}/call-next`);
    expect(called.status).toBe(200);
    expect(((await called.json()) as any).ticket.id).toBe(ticket.id);
    for (const action of ['recall', 'start', 'complete']) {
      const res = await post(`/v1/branches/${f.branchId}/tickets/${ticket.id}/${action}`);
      expect(res.status, action).toBe(200);
    }
    const none = await post(`/v1/branches/${f.branchId}/counters/${f.counters.D}/call-next`);
    expect(none.status).toBe(204);
    expect(await none.text()).toBe('');
    const closed = await post(`/v1/branches/${f.branchId}/close-day`);
    expect(closed.status).toBe(200);
  });

  it.each([
    ['{} with no content-type (fetch sends text/plain)', { body: '{}' }],
    ['{} as text/plain', { headers: { 'content-type': 'text/plain' }, body: '{}' }],
    ['{} as a form', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '{}' }],
  ] as Array<[string, RequestInit]>)('%s on an action is 415', async (_, init) => {
    const res = await fetch(url(`/v1/branches/${f.branchId}/close-day`), {
      ...init,
      method: 'POST',
      headers: { ...auth(), ...(init.headers as object) },
    });
    await expectProblem(res, 415);
  });

  it('a non-empty, non-{} body on an action is 400', async () => {
    const res = await fetch(url(`/v1/branches/${f.branchId}/close-day`), {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"force":true}',
    });
    await expectProblem(res, 400);
  });
});
