import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { notFoundRoute } from '#core/contract/routes/system/not-found';
import { lambdaContext, loadHandler, toApiGatewayEvent } from '#local/apigw';
import { type DemoCredentials, seedDemo } from '#local/seed';
import { type ApiResponse, type CallOptions, call, readResult } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/**
 * HTTP hygiene through the real handler chain (tests/e2e/http-hygiene.test.ts does it over HTTP):
 * HEAD wherever GET, 405 with Allow from the catch-all, the Bearer scheme in any case, 415 for a
 * body that is not JSON, nosniff on every answer, no-store where tokens travel.
 */

let env: TestEnv;
let f: BranchFixture;
let admin: string;
let demo: DemoCredentials;

beforeAll(async () => {
  env = await createTestEnv();
  f = await createBranchFixture({});
  admin = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  demo = await seedDemo({ dataDir: mkdtempSync(join(tmpdir(), 'queueline-hygiene-')) });
});

/** What the catch-all (API Gateway's `$default`, functions/not-found.ts) answers to a request. */
async function catchAll(method: string, path: string, headers: Record<string, string> = {}) {
  const handler = await loadHandler('not-found');
  const event = toApiGatewayEvent({ method, path, headers }, notFoundRoute, {});
  const { status, headers: out, json, text } = readResult(await handler(event, lambdaContext('not-found')));
  return { status, headers: out, body: json, text } as ApiResponse;
}

const withoutRequestId = (headers: Record<string, string>) => {
  const { 'x-request-id': _, ...rest } = headers;
  return rest;
};

describe('HEAD is answered wherever GET is', () => {
  const paths = () =>
    [
      ['/health', {}],
      ['/openapi.json', {}],
      ['/.well-known/jwks.json', {}],
      ['/docs', {}],
      ['/v1/permissions', { token: admin }],
      ['/v1/priorities', { token: admin, query: { limit: '1' } }],
      [`/v1/branches/${f.branchId}`, { token: admin }],
      [`/v1/branches/${f.branchId}/board`, { token: admin }],
      [`/v1/branches/${f.branchId}/queues`, {}],
    ] as Array<[string, CallOptions]>;

  it('with the status and headers of GET, and no body', async () => {
    for (const [path, options] of paths()) {
      const get = await call('GET', path, options);
      const head = await call('HEAD', path, options);
      expect(head.status, path).toBe(get.status);
      expect(withoutRequestId(head.headers), path).toEqual(withoutRequestId(get.headers));
      expect(head.text, path).toBeUndefined();
      expect(get.text?.length, path).toBeGreaterThan(0);
    }
  });

  it('HEAD of the board honours If-None-Match like GET (304 with the ETag)', async () => {
    const board = `/v1/branches/${f.branchId}/board`;
    const etag = (await call('HEAD', board, { token: admin })).headers.etag!;
    expect(etag).toBeTruthy();
    const again = await call('HEAD', board, { token: admin, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(etag);
  });

  it('HEAD /health is 200; HEAD of an unknown path is a bodiless 404', async () => {
    expect((await call('HEAD', '/health')).status).toBe(200);
    const unknown = await catchAll('HEAD', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBeUndefined();
  });
});

describe('a known path with another method is a 405 with Allow; an unknown path a 404', () => {
  it.each([
    ['DELETE', '/health', 'GET, HEAD'],
    ['PUT', '/v1/priorities', 'GET, HEAD, POST'],
    ['POST', '/v1/priorities/01JCZ6S3D8M7Q5W2E4R6T8Y0UI', 'GET, HEAD, PATCH, DELETE'],
    ['GET', '/v1/auth/login', 'POST'],
    ['PATCH', '/v1/public/tickets/abc', 'GET, HEAD, DELETE'],
    ['GET', '/v1/branches/x/tickets/y/start', 'POST'],
  ])('%s %s → 405, Allow: %s', async (method, path, allow) => {
    const res = await catchAll(method, path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 405, title: 'Method not allowed' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['GET', '/v1/nothing-here'],
    ['POST', '/v1/priorities/x/y'],
    ['GET', '/v2/priorities'],
    ['GET', '/health/'],
  ])('%s %s → 404', async (method, path) => {
    const res = await catchAll(method, path);
    expect(res.status).toBe(404);
    expect(res.headers.allow).toBeUndefined();
    expect(res.body).toMatchObject({ status: 404 });
  });
});

describe('the auth scheme is matched case-insensitively', () => {
  it.each(['bearer', 'BEARER', 'bEaReR'])('%s <token> → 200', async (scheme) => {
    const res = await call('GET', '/v1/priorities', { headers: { authorization: `${scheme} ${admin}` } });
    expect(res.status, res.text).toBe(200);
  });

  it.each(['Basic', 'Bearerx', 'Token'])('%s <token> → 401', async (scheme) => {
    const res = await call('GET', '/v1/priorities', { headers: { authorization: `${scheme} ${admin}` } });
    expect(res.status).toBe(401);
  });
});

describe('a body that is not sent as JSON is a 415', () => {
  const priorities = async () =>
    (await call('GET', '/v1/priorities', { token: admin, query: { limit: '100' } })).body.items.length;
  const body = JSON.stringify({ name: 'Sent as text', rank: 2 });

  it.each([
    ['text/plain', 'text/plain'],
    ['text/plain with charset', 'text/plain; charset=utf-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['a near miss', 'application/jsonx'],
    ['no content type at all', undefined],
  ])('%s → 415 problem+json, and nothing is created', async (_, contentType) => {
    const before = await priorities();
    const res = await call('POST', '/v1/priorities', {
      token: admin,
      rawBody: body,
      ...(contentType && { headers: { 'content-type': contentType } }),
    });
    expect(res.status, res.text).toBe(415);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 415, title: 'Unsupported media type' });
    expect(await priorities()).toBe(before);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    'application/merge-patch+json',
  ])('%s is JSON', async (contentType) => {
    const res = await call('POST', '/v1/priorities', {
      token: admin,
      rawBody: body,
      headers: { 'content-type': contentType },
    });
    expect(res.status, res.text).toBe(201);
  });

  it('no body: no check (an action with an empty text/plain body runs)', async () => {
    const res = await call('POST', `/v1/branches/${f.branchId}/close-day`, {
      token: admin,
      rawBody: '',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status, res.text).toBe(200);
  });

  it('authentication and permission come first (401, 403 before 415)', async () => {
    const options = { rawBody: body, headers: { 'content-type': 'text/plain' } };
    expect((await call('POST', '/v1/priorities', options)).status).toBe(401);
    const powerless = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'custom', perms: [] });
    expect((await call('POST', '/v1/priorities', { ...options, token: powerless })).status).toBe(403);
  });
});

describe('nosniff on every answer; no-store where tokens travel', () => {
  it('X-Content-Type-Options: nosniff on 200, 201, 204, 304, 400, 401, 403, 404, 405 and 415', async () => {
    const board = `/v1/branches/${f.branchId}/board`;
    const etag = (await call('GET', board, { token: admin })).headers.etag!;
    const answers: ApiResponse[] = [
      await call('GET', '/health'),
      await call('POST', '/v1/priorities', { token: admin, body: { name: 'P', rank: 3 } }),
      await call('POST', `/v1/branches/${f.branchId}/counters/${f.counters['Counter 1']}/call-next`, {
        token: admin,
      }),
      await call('GET', board, { token: admin, headers: { 'if-none-match': etag } }),
      await call('GET', '/v1/priorities', { token: admin, query: { limit: '0' } }),
      await call('GET', '/v1/priorities'),
      await call('GET', '/v1/priorities', {
        token: await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'custom', perms: [] }),
      }),
      await call('GET', `/v1/priorities/${f.queues.G!.id}`, { token: admin }),
      await catchAll('GET', '/v1/nothing-here'),
      await catchAll('PUT', '/health'),
      await call('POST', '/v1/priorities', {
        token: admin,
        rawBody: '{}',
        headers: { 'content-type': 'text/plain' },
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 201, 204, 304, 400, 401, 403, 404, 404, 405, 415]);
    for (const res of answers)
      expect(res.headers['x-content-type-options'], String(res.status)).toBe('nosniff');
  });

  it('login and refresh answer Cache-Control: no-store', async () => {
    const login = await call('POST', '/v1/auth/login', { body: demo });
    expect(login.status, login.text).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const refreshed = await call('POST', '/v1/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.headers['cache-control']).toBe('no-store');
    const failed = await call('POST', '/v1/auth/login', { body: { ...demo, password: 'wrong-password' } });
    expect(failed.status).toBe(401);
    expect(failed.headers['cache-control']).toBe('no-store');
  });

  it('a ticket with its publicToken is no-store; the board keeps no-cache and its ETag', async () => {
    const issued = await call('POST', `/v1/branches/${f.branchId}/tickets`, {
      token: admin,
      body: { queueId: f.queues.G!.id },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.ticket.publicToken).toEqual(expect.any(String));
    expect(issued.headers['cache-control']).toBe('no-store');
    const board = await call('GET', `/v1/branches/${f.branchId}/board`, { token: admin });
    expect(board.headers['cache-control']).toBe('no-cache');
    expect(board.headers.etag).toBeTruthy();
  });
});
