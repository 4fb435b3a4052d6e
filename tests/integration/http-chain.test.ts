import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { currentScope, type RequestScope } from '#core/adapters/dynamo/request-scope';
import { route } from '#core/contract/define';
import { type Handler, type HttpResult, publicEndpoint } from '#functions/commons/http';
import { logger } from '#functions/commons/logger';
import { lambdaContext, toApiGatewayEvent } from '#local/apigw';
import { call, readResult } from '#tests/support/api';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

const suiteDeadline = process.env.REQUEST_DEADLINE_MS;
afterEach(() => {
  vi.restoreAllMocks();
  if (suiteDeadline === undefined) delete process.env.REQUEST_DEADLINE_MS;
  else process.env.REQUEST_DEADLINE_MS = suiteDeadline;
});

describe('system routes through the real middy chain', () => {
  it('GET /health answers ok with a request id', async () => {
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toMatch(/[0-9a-f-]{36}/);
  });

  it('GET /.well-known/jwks.json lists only public key material', async () => {
    const res = await call('GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    expect(res.body.keys[0].kid).toBe(env.signingKey.kid);
    expect(res.body.keys[0]).not.toHaveProperty('d');
    expect(res.text).not.toContain(env.signingKey.d);
  });
});

/** The access-log lines written while `fn` runs. */
async function accessLog(fn: () => Promise<unknown>) {
  const info = vi.spyOn(logger, 'info').mockImplementation(() => {});
  await fn();
  const lines = info.mock.calls.filter(([message]) => message === 'request').map(([, extra]) => extra);
  info.mockRestore();
  return lines as Array<Record<string, unknown>>;
}

describe('every answer is finished: one access-log line, and the headers of every answer', () => {
  it('a 200, a 401 and an idempotent replay (an early answer, past every after step) each log one line', async () => {
    const f = await createBranchFixture({});
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
    const enqueue = () =>
      call('POST', `/v1/branches/${f.branchId}/tickets`, {
        token,
        headers: { 'idempotency-key': `k-${f.branchId}` },
        body: { queueId: f.queues.G!.id },
      });
    const first = await enqueue();
    expect(first.status, first.text).toBe(201);

    let replay!: Awaited<ReturnType<typeof enqueue>>;
    const lines = await accessLog(async () => {
      expect((await call('GET', '/health')).status).toBe(200);
      expect((await call('GET', '/v1/me')).status).toBe(401);
      replay = await enqueue();
    });
    expect(lines.map(({ method, route, status }) => ({ method, route, status }))).toEqual([
      { method: 'GET', route: '/health', status: 200 },
      { method: 'GET', route: '/v1/me', status: 401 },
      { method: 'POST', route: '/v1/branches/{branchId}/tickets', status: 201 },
    ]);
    for (const line of lines) expect(line.durationMs).toEqual(expect.any(Number));
    expect(lines[2]).toMatchObject({ tenantId: f.tenantId, requestId: replay.headers['x-request-id'] });

    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['x-content-type-options']).toBe('nosniff');
    expect(replay.headers['cache-control']).toBe('no-store');
    expect(replay.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });
});

/** A public route of its own, so that a test decides what its work waits for. */
function fixture(impl: () => Promise<HttpResult>): (event?: object) => ReturnType<Handler> {
  const fixtureRoute = route({
    method: 'GET',
    path: '/fixture',
    function: 'fixture-chain',
    summary: 'Fixture',
    tag: 'Fixture',
    auth: 'none',
    responses: {},
  });
  const handler = publicEndpoint(fixtureRoute, impl);
  return () =>
    handler(
      toApiGatewayEvent({ method: 'GET', path: '/fixture' }, fixtureRoute, {}),
      lambdaContext('fixture'),
    );
}

const never = () => new Promise<never>(() => {});

describe('the deadline bounds the whole chain', () => {
  it('work that waits for something other than DynamoDB (a mail) answers 503 at the deadline', async () => {
    process.env.REQUEST_DEADLINE_MS = '200';
    let result!: ReturnType<typeof readResult>;
    const lines = await accessLog(async () => {
      result = readResult(await fixture(never)());
    });
    expect(result.status).toBe(503);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(result.headers['retry-after']).toBe('5');
    expect(result.headers['x-content-type-options']).toBe('nosniff');
    expect(result.headers['x-request-id']).toMatch(/[0-9a-f-]{36}/);
    expect(result.json).toMatchObject({ status: 503, title: 'Service unavailable' });
    expect(lines).toEqual([expect.objectContaining({ route: '/fixture', status: 503 })]);
  });

  it('requests started together keep their own deadline: one running out does not touch the other', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const seen: RequestScope[] = [];
    const slow = fixture(async () => {
      await gate;
      seen.push(currentScope()!);
      return { status: 200, body: { ok: true } };
    });
    const stuck = fixture(never);
    // Started in one synchronous run, as concurrent requests of the local server can be.
    process.env.REQUEST_DEADLINE_MS = '30000';
    const first = slow();
    process.env.REQUEST_DEADLINE_MS = '200';
    const second = stuck();

    expect(readResult(await second).status).toBe(503);
    open();
    const answered = readResult(await first);
    expect(answered.status, answered.text).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signal.aborted).toBe(false);
    expect(seen[0]!.deadline - Date.now()).toBeGreaterThan(20_000);
  });

  it('once a request has answered, what its caller does next is outside its scope', async () => {
    let inside: RequestScope | undefined;
    const answered = await fixture(async () => {
      inside = currentScope();
      inside!.held = { tenantId: ulid(), key: 'k', claimId: 'c' };
      return { status: 204 };
    })();
    expect(answered.statusCode).toBe(204);
    expect(inside?.signal).toBeInstanceOf(AbortSignal);
    // Its held key would otherwise be recorded by the caller's own ticket writes.
    expect(currentScope()).toBeUndefined();
  });
});
