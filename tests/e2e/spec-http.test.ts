import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv } from '#tests/support/env';
import { startTestServer, type TestServer } from '#tests/support/server';
import { mintToken } from '#tests/support/tokens';

/**
 * SPEC §3 over real HTTP (the local server `npm start` runs): system routes, unknown routes,
 * and action routes with every way of sending "no body" that an HTTP client produces.
 */

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

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = await res.json();
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  return body;
}

describe('SPEC §3 system routes', () => {
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

describe('SPEC §3 unknown routes are 404, known paths with another method 405', () => {
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

describe('SPEC §3 action routes accept no body or {} over HTTP', () => {
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
