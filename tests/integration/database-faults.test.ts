import { createECDH, createHash, randomBytes } from 'node:crypto';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dynamo, MAX_ATTEMPTS, resetDynamo, tableName } from '#core/adapters/dynamo/client';
import { forgetHealth } from '#core/adapters/dynamo/health';
import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { idempotencyKey } from '#core/adapters/dynamo/items/idempotency';
import { tenantPartition } from '#core/adapters/dynamo/items/tenant';
import { outcomeRecord } from '#core/adapters/dynamo/outcome-record';
import { withDeadline } from '#core/adapters/dynamo/request-scope';
import { enqueueRoute } from '#core/contract/routes/tickets/enqueue';
import { type ApiResponse, call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { type DynamoProxy, startDynamoProxy } from '#tests/support/dynamo-proxy';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { type Fault, injectFault, type Operation, throttle } from '#tests/support/fault-injection';
import { mintToken } from '#tests/support/tokens';

/**
 * When DynamoDB is unreachable, hangs, or keeps throttling, every route answers 503
 * problem+json with Retry-After within the request's deadline; /health says so; the same
 * process serves again once the database is back; and an Idempotency-Key keeps enqueue exactly
 * once across all of it. The database sits behind a TCP proxy (tests/support/dynamo-proxy.ts)
 * that refuses, resets, stalls or loses answers below the SDK, so the client's real timeouts,
 * retries and aborts run; throttles are injected on the SDK's middleware stack.
 *
 * The deadline is shortened for the tests that need it (REQUEST_DEADLINE_MS): a stalled proxy
 * never answers, so a 503 from such a request can only come from the deadline.
 */

let env: TestEnv;
let proxy: DynamoProxy;
let databaseEndpoint: string;
const faults: Fault[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  databaseEndpoint = process.env.DYNAMODB_ENDPOINT!;
  proxy = await startDynamoProxy(databaseEndpoint);
  process.env.DYNAMODB_ENDPOINT = proxy.endpoint;
  resetDynamo();
});

afterEach(async () => {
  for (const f of faults.splice(0)) f.remove();
  deadline();
  await proxy.set('pass');
  forgetHealth();
  // A fresh client: the SDK's retry quota, spent by one test's outage, does not carry over.
  resetDynamo();
});

afterAll(async () => {
  await proxy.close();
  process.env.DYNAMODB_ENDPOINT = databaseEndpoint;
  resetDynamo();
});

/** A short deadline while the database misbehaves; `deadline()` restores the suite's. */
const suiteDeadline = process.env.REQUEST_DEADLINE_MS;
const deadline = (ms?: number) => {
  if (ms !== undefined) process.env.REQUEST_DEADLINE_MS = String(ms);
  else if (suiteDeadline === undefined) delete process.env.REQUEST_DEADLINE_MS;
  else process.env.REQUEST_DEADLINE_MS = suiteDeadline;
};

interface World {
  f: BranchFixture;
  userId: string;
  token: string;
  base: string;
  counter: string;
  publicToken: string;
}

async function world(): Promise<World> {
  const f = await createBranchFixture({ counters: { C1: { queues: ['G'] } } });
  const userId = ulid();
  const token = await mintToken(env.signingKey, { tenantId: f.tenantId, userId, role: 'admin' });
  const base = `/v1/branches/${f.branchId}`;
  const issued = await call('POST', `${base}/tickets`, { token, body: { queueId: f.queues.G!.id } });
  expect(issued.status).toBe(201);
  return { f, userId, token, base, counter: f.counters.C1!, publicToken: issued.body.ticket.publicToken };
}

/** A browser's push keys: a real P-256 public key, as the subscribe route checks. */
const pushKeys = (() => {
  const browser = createECDH('prime256v1');
  browser.generateKeys();
  return {
    p256dh: browser.getPublicKey().toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
})();

const someIp = () => `10.0.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`;

const enqueue = (w: World, key?: string) =>
  call('POST', `${w.base}/tickets`, {
    token: w.token,
    body: { queueId: w.f.queues.G!.id },
    ...(key && { headers: { 'idempotency-key': key } }),
  });
const callNext = (w: World, key?: string) =>
  call('POST', `${w.base}/counters/${w.counter}/call-next`, {
    token: w.token,
    ...(key && { headers: { 'idempotency-key': key } }),
  });
const tickets = async (w: World) => {
  const list = await call('GET', `${w.base}/tickets`, { token: w.token, query: { limit: '100' } });
  expect(list.status).toBe(200);
  return list.body.items as Array<{ id: string; status: string }>;
};

/** One request of each kind: public (rate-limited) and staff routes, reads and writes, and login. */
const everyKind = (w: World): Array<[string, () => Promise<ApiResponse>]> => [
  ['public status', () => call('GET', `/v1/public/tickets/${w.publicToken}`, { sourceIp: someIp() })],
  ['public cancel', () => call('DELETE', `/v1/public/tickets/${w.publicToken}`, { sourceIp: someIp() })],
  ['enqueue with a key', () => enqueue(w, `k-${ulid()}`)],
  ['call-next', () => callNext(w)],
  [
    'public notify',
    () =>
      call('POST', `/v1/public/tickets/${w.publicToken}/notify`, {
        body: { email: 'customer@example.org' },
        sourceIp: someIp(),
      }),
  ],
  [
    'public subscribe',
    () =>
      call('POST', `/v1/public/tickets/${w.publicToken}/subscriptions`, {
        body: { endpoint: 'https://push.example.com/send/faults', keys: pushKeys },
        sourceIp: someIp(),
      }),
  ],
  [
    'public feedback',
    () =>
      call('POST', `/v1/public/tickets/${w.publicToken}/feedback`, {
        body: { rating: 5 },
        sourceIp: someIp(),
      }),
  ],
  ['join page', () => call('GET', `/v1/public/branches/${w.f.branchId}`, { sourceIp: someIp() })],
  [
    'remote join',
    () =>
      call('POST', `/v1/public/branches/${w.f.branchId}/tickets`, {
        body: { queueId: w.f.queues.G!.id },
        sourceIp: someIp(),
      }),
  ],
  [
    'public logo',
    () => call('GET', `/v1/public/logos/${w.f.tenantId}/${'A'.repeat(22)}`, { sourceIp: someIp() }),
  ],
  ['tenant settings', () => call('GET', '/v1/tenant', { token: w.token })],
  [
    'tenant branding change',
    () => call('PATCH', '/v1/tenant', { token: w.token, body: { branding: { displayName: 'Faults' } } }),
  ],
  ['board', () => call('GET', `${w.base}/board`, { token: w.token })],
  ['me', () => call('GET', '/v1/me', { token: w.token })],
  [
    'login',
    () =>
      call('POST', '/v1/auth/login', {
        body: { tenant: 'nobody', username: 'nobody', password: 'not-the-password' },
        sourceIp: someIp(),
      }),
  ],
];

function expectUnavailable(res: ApiResponse, what: string) {
  expect(res.status, `${what}: ${res.text}`).toBe(503);
  expect(res.headers['content-type'], what).toBe('application/problem+json');
  expect(Number(res.headers['retry-after']), what).toBeGreaterThanOrEqual(1);
  expect(res.body, what).toMatchObject({ status: 503, title: 'Service unavailable' });
  expect(res.body.type, what).toMatch(/service-unavailable$/);
  expect(res.text, what).not.toMatch(/ECONN|socket|timeout|abort|dynamo|throughput/i);
}

/** The same process answers normally once the database is back: no broken client. */
async function expectServing(w: World) {
  const status = await call('GET', `/v1/public/tickets/${w.publicToken}`, { sourceIp: someIp() });
  expect(status.status).toBe(200);
  const issued = await enqueue(w);
  expect(issued.status).toBe(201);
  expect((await call('GET', '/health')).status).toBe(200);
}

describe('an unreachable database: 503 + Retry-After on every kind of route, then normal service', () => {
  for (const mode of ['refuse', 'reset'] as const) {
    it(`connections ${mode === 'refuse' ? 'refused' : 'reset'}`, async () => {
      const w = await world();
      await proxy.set(mode);
      for (const [what, request] of everyKind(w)) expectUnavailable(await request(), what);
      await proxy.set('pass');
      forgetHealth();
      await expectServing(w);
      // Nothing was cancelled or issued while the database was away.
      expect((await tickets(w)).map((t) => t.status)).toEqual(['waiting', 'waiting']);
    });
  }
});

describe('a database that hangs: 503 at the deadline, whatever the calls wait for', () => {
  it('every kind of route answers 503 + Retry-After although the database never answers', async () => {
    const w = await world();
    deadline(500);
    await proxy.set('stall');
    for (const [what, request] of everyKind(w)) expectUnavailable(await request(), what);
    // Requests reached the proxy and were never answered: the 503s came from the deadline.
    expect(proxy.faulted()).toBeGreaterThanOrEqual(everyKind(w).length);
    await proxy.set('pass');
    deadline();
    forgetHealth();
    await expectServing(w);
  }, 30_000);
});

describe('GET /health checks the database', () => {
  it('200 ok while it answers, 503 unavailable while it is refused or hangs, 200 again after', async () => {
    const up = await call('GET', '/health');
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ status: 'ok' });

    for (const mode of ['refuse', 'stall'] as const) {
      deadline(1000);
      await proxy.set(mode);
      forgetHealth(); // what a 5 s old check would have done
      const down = await call('GET', '/health');
      expect(down.status, mode).toBe(503);
      expect(down.headers['content-type']).toBe('application/json');
      expect(down.body).toEqual({ status: 'unavailable' });
      expect(Number(down.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }

    await proxy.set('pass');
    deadline();
    forgetHealth();
    const again = await call('GET', '/health');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'ok' });
  });

  it('costs one eventually consistent read per process and 5 s, however often it is asked', async () => {
    const m = measureDynamo();
    try {
      for (let i = 0; i < 5; i++) expect((await call('GET', '/health')).status).toBe(200);
      expect(m.log().map((e) => e.command)).toEqual(['GetItem']);
      expect(m.capacity().read).toBeLessThanOrEqual(0.5);
    } finally {
      m.stop();
    }
  });
});

describe('DynamoDB keeps failing after the SDK’s attempts', () => {
  const everyOperation: Operation[] = ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'TransactWriteItems'];
  const failAll = (error: () => Error) => {
    for (const command of everyOperation) {
      faults.push(injectFault({ command, times: Number.POSITIVE_INFINITY, error }));
    }
  };
  const attempts = () => faults.reduce((sum, f) => sum + f.attempts(), 0);

  it('throttled on every attempt: 503 + Retry-After on public and staff routes; /health unavailable', async () => {
    const w = await world();
    deadline(1500);
    failAll(() => throttle('ThrottlingException'));
    for (const [what, request] of everyKind(w).slice(0, 3)) {
      const before = attempts();
      expectUnavailable(await request(), what);
      // The SDK's attempts of the first call at most (its backoff may be cut by the deadline).
      expect(attempts() - before, what).toBeGreaterThanOrEqual(1);
      expect(attempts() - before, what).toBeLessThanOrEqual(MAX_ATTEMPTS);
    }
    forgetHealth();
    const health = await call('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'unavailable' });
  }, 30_000);

  it('a 5xx DynamoDB does not explain (an unmodelled 502 from the way to it): 503, never 500', async () => {
    const w = await world();
    failAll(() =>
      Object.assign(new Error('Bad Gateway'), {
        name: 'UnknownError',
        $fault: 'server',
        $metadata: { httpStatusCode: 502 },
      }),
    );
    for (const [what, request] of everyKind(w).slice(0, 3)) expectUnavailable(await request(), what);
  });
});

describe('Idempotency-Key across failures: enqueue happens once', () => {
  const scopedKey = (w: World, key: string) =>
    createHash('sha256')
      .update(`${w.userId}\n${enqueueRoute.method} ${enqueueRoute.path}\n${key}`)
      .digest('base64url');

  it('the answer to the ticket write is lost and the SDK sends it again: 201, one ticket', async () => {
    const w = await world();
    const key = `k-${ulid()}`;
    await proxy.set('drop-answer', { operation: 'TransactWriteItems', times: 1 });
    const first = await enqueue(w, key);
    expect(proxy.faulted()).toBe(1);
    expect(first.status).toBe(201);
    await proxy.set('pass');
    expect(await tickets(w)).toHaveLength(2);
    expect((await enqueue(w, key)).body).toEqual(first.body);
  });

  /** The request's ticket write is held (sent, never answered) or stalled (never sent): 503 at its deadline. */
  async function unavailableAtDeadline(mode: 'hold-answer' | 'stall', request: () => Promise<ApiResponse>) {
    deadline(800);
    await proxy.set(mode, { operation: 'TransactWriteItems', times: 1 });
    expectUnavailable(await request(), mode);
    expect(proxy.faulted()).toBe(1);
    await proxy.set('pass');
    deadline();
  }

  it('the deadline passes after the ticket write landed: 503, then the retry answers that ticket', async () => {
    const w = await world();
    const key = `k-${ulid()}`;
    await unavailableAtDeadline('hold-answer', () => enqueue(w, key));

    const all = await tickets(w);
    expect(all).toHaveLength(2); // the write landed
    const retry = await enqueue(w, key);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toMatchObject({ ticket: { id: all[1]!.id, status: 'waiting' }, position: 2 });
    expect(await tickets(w)).toHaveLength(2);
    // The rebuilt answer is stored: later replays return it unchanged.
    expect((await enqueue(w, key)).body).toEqual(retry.body);
  }, 30_000);

  it('the deadline passes before the ticket write reached the database: 503, and the retry runs once', async () => {
    const w = await world();
    const key = `k-${ulid()}`;
    await unavailableAtDeadline('stall', () => enqueue(w, key));
    expect(await tickets(w)).toHaveLength(1);

    const retry = await enqueue(w, key);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await tickets(w)).toHaveLength(2);
    expect((await enqueue(w, key)).body).toEqual(retry.body);
  }, 30_000);

  it('storing the response fails and the retry comes after the lock lapsed: still one ticket', async () => {
    const w = await world();
    const key = `k-${ulid()}`;
    const scoped = scopedKey(w, key);
    faults.push(
      injectFault({
        command: 'UpdateItem',
        times: Number.POSITIVE_INFINITY,
        when: (input) => input.Key?.pk?.S === idempotencyKey(w.f.tenantId, scoped).pk,
        error: () => throttle(),
      }),
    );
    const first = await enqueue(w, key);
    expect(first.status).toBe(201); // the answer stands
    // Storing was tried (within what is left of the request's time) and failed.
    expect(faults[0]!.injected()).toBeGreaterThanOrEqual(1);
    for (const f of faults.splice(0)) f.remove();
    // As if the lock had lapsed long ago.
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: idempotencyKey(w.f.tenantId, scoped),
        UpdateExpression: 'SET lockedUntil = :zero',
        ExpressionAttributeValues: { ':zero': 0 },
      }),
    );

    const retry = await enqueue(w, key);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.ticket).toEqual(first.body.ticket);
    expect(await tickets(w)).toHaveLength(2);
  });

  it('call-next: the deadline passes after the call landed; the retry answers the ticket it called', async () => {
    const w = await world();
    const key = `k-${ulid()}`;
    await unavailableAtDeadline('hold-answer', () => callNext(w, key));

    const retry = await callNext(w, key);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.ticket).toMatchObject({ status: 'called', counterId: w.counter });
    expect((await tickets(w)).map((t) => t.status)).toEqual(['called']);
  }, 30_000);

  it('a ticket write that arrives after a retry took the key over does nothing', async () => {
    const tenantId = ulid();
    const key = `k-${ulid()}`;
    const now = new Date();
    const first = await dynamoIdempotencyStore.claim(tenantId, key, 'h', now, new Date(now.getTime() - 2000));
    const second = await dynamoIdempotencyStore.claim(
      tenantId,
      key,
      'h',
      now,
      new Date(now.getTime() + 5000),
    );
    expect(first.outcome).toBe('claimed');
    expect(second.outcome).toBe('claimed');
    const late = { pk: `${tenantPartition(tenantId)}#LATE`, sk: 'LATE' };
    // The first request's write, still carrying its (lost) claim.
    await expect(
      withDeadline(
        5000,
        async (scope) => {
          scope.held = { tenantId, key, claimId: (first as { claimId: string }).claimId };
          await dynamo().send(
            new TransactWriteCommand({
              TransactItems: [{ Put: { TableName: tableName(), Item: late } }, outcomeRecord('late-ticket')!],
            }),
          );
        },
        () => undefined,
      ),
    ).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect((await dynamo().send(new GetCommand({ TableName: tableName(), Key: late }))).Item).toBeUndefined();
    // The retry's claim is intact and can store its answer.
    await dynamoIdempotencyStore.complete(
      tenantId,
      key,
      (second as { claimId: string }).claimId,
      { status: 201, headers: {}, body: '{}' },
      now,
    );
    const replay = await dynamoIdempotencyStore.claim(tenantId, key, 'h', now, now);
    expect(replay).toMatchObject({ outcome: 'replay', response: { status: 201 } });
  });
});
