import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { queueLiveKey, waitingAttribute } from '#core/adapters/dynamo/items/queue';
import { builtInRole } from '#core/domain/permissions';
import { INDEX_SETTLE_MS } from '#core/ports/tickets';
import { callNext as callNextUseCase } from '#core/usecases/tickets/call-next';
import { ticketContext } from '#functions/commons/context';
import { type ApiResponse, call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import {
  type Fault,
  type FaultOptions,
  injectFault,
  lagIndex,
  throttle,
  transactionConflict,
} from '#tests/support/fault-injection';
import { mintToken } from '#tests/support/tokens';

/**
 * Faults (docs/rules.md#quality-bars): DynamoDB throttling and transaction conflicts, injected
 * through the SDK client's middleware stack (tests/support/fault-injection.ts), are retried — by
 * the SDK for throttles, by withContentionRetry for TransactionConflict — or answered with 503 +
 * Retry-After as problem+json, and never leave half-applied state.
 */

let env: TestEnv;
let maxAttempts: number;
const installed: Array<{ remove?: () => void; stop?: () => void }> = [];

beforeAll(async () => {
  env = await createTestEnv();
  maxAttempts = await dynamo().config.maxAttempts();
});

afterEach(() => {
  for (const m of installed.splice(0)) {
    m.remove?.();
    m.stop?.();
  }
});

const fault = (options: FaultOptions): Fault => {
  const f = injectFault(options);
  installed.push(f);
  return f;
};
const metrics = () => {
  const m = measureDynamo();
  installed.push(m);
  return m;
};

interface World {
  f: BranchFixture;
  token: string;
  base: string;
  counter: string;
}

async function world(): Promise<World> {
  const f = await createBranchFixture({ counters: { C1: { queues: ['G'] } } });
  const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  return { f, token, base: `/v1/branches/${f.branchId}`, counter: f.counters.C1! };
}

const enqueue = (w: World) =>
  call('POST', `${w.base}/tickets`, { token: w.token, body: { queueId: w.f.queues.G!.id } });
const callNext = (w: World) => call('POST', `${w.base}/counters/${w.counter}/call-next`, { token: w.token });
/** Call-next through the use case, on a clock `aheadMs` in the future. */
const callNextAt = (w: World, aheadMs: number) =>
  callNextUseCase(
    ticketContext({
      actor: {
        tenantId: w.f.tenantId,
        userId: ulid(),
        roleId: 'agent',
        permissions: builtInRole('agent')!.permissions,
        branches: ['*'],
      },
      now: new Date(Date.now() + aheadMs),
    }),
    { branchId: w.f.branchId, counterId: w.counter },
  );
const act = (w: World, ticketId: string, action: string) =>
  call('POST', `${w.base}/tickets/${ticketId}/${action}`, { token: w.token });

/**
 * What the branch looks like: tickets of the day, waiting count, and the counter's current
 * ticket.
 */
async function state(w: World) {
  const [list, board] = await Promise.all([
    call('GET', `${w.base}/tickets`, { token: w.token, query: { limit: '100' } }),
    call('GET', `${w.base}/board`, { token: w.token }),
  ]);
  expect(list.status).toBe(200);
  expect(board.status).toBe(200);
  return {
    tickets: list.body.items as Array<{ id: string; number: number; status: string }>,
    waiting: board.body.queues[0].waiting as number,
    current: board.body.counters.find((c: any) => c.id === w.counter).current as {
      code: string;
      status: string;
    } | null,
    recentCodes: (board.body.recentlyCalled as Array<{ code: string }>).map((r) => r.code),
  };
}

function expectUnavailable(res: ApiResponse) {
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toBe('application/problem+json');
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(res.body).toMatchObject({ status: 503, title: 'Service unavailable' });
  expect(res.body.type).toMatch(/service-unavailable$/);
  // Nothing internal leaks into the problem.
  expect(res.text).not.toMatch(/Throughput|TransactionCanceled|CancellationReasons|dynamodb/i);
}

describe('throttling: retried by the SDK, 503 once the SDK gives up', () => {
  it('the client is configured with maxAttempts 4', () => {
    expect(maxAttempts).toBe(4);
  });

  for (const name of ['ProvisionedThroughputExceededException', 'ThrottlingException'] as const) {
    it(`${name} on the first maxAttempts − 1 attempts of the enqueue transaction: 201, one ticket, no gap`, async () => {
      const w = await world();
      const first = await enqueue(w);
      expect(first.status).toBe(201);
      const f = fault({ command: 'TransactWriteItems', times: maxAttempts - 1, error: () => throttle(name) });
      const m = metrics();
      const res = await enqueue(w);
      expect(res.status).toBe(201);
      expect(res.body.ticket.number).toBe(first.body.ticket.number + 1);
      // The SDK retried inside one send: one command, maxAttempts attempts, the last one clean.
      expect(f.injected()).toBe(maxAttempts - 1);
      expect(f.attempts()).toBe(maxAttempts);
      expect(m.byCommand().TransactWriteItems).toMatchObject({ requests: 1, attempts: maxAttempts });
      expect(m.byCommand().Query).toMatchObject({ requests: 1, attempts: 1 });
      f.remove();
      const after = await state(w);
      expect(after.tickets.map((t) => t.number).sort()).toEqual([1, 2]);
      expect(after.waiting).toBe(2);
    });
  }

  it('a throttle that outlasts the SDK’s attempts: 503, no ticket, no number used; the SDK is the only retry layer', async () => {
    const w = await world();
    const first = await enqueue(w);
    const before = await state(w);
    const f = fault({
      command: 'TransactWriteItems',
      times: Number.POSITIVE_INFINITY,
      error: () => throttle(),
    });
    const m = metrics();
    const res = await enqueue(w);
    expectUnavailable(res);
    // Exactly the SDK's attempts: nobody re-runs an already retried throttle (that would
    // multiply the attempts and the backoff beyond the Lambda timeout).
    expect(f.attempts()).toBe(maxAttempts);
    expect(m.byCommand().TransactWriteItems).toMatchObject({ requests: 1, attempts: maxAttempts });
    f.remove();

    const after = await state(w);
    expect(after.tickets.map((t) => t.id)).toEqual(before.tickets.map((t) => t.id));
    expect(after.waiting).toBe(before.waiting);
    const next = await enqueue(w);
    expect(next.status).toBe(201);
    // The number is claimed in the ticket's own transaction: a failed enqueue leaves no gap.
    expect(next.body.ticket.number).toBe(first.body.ticket.number + 1);
  });

  it('the setup read throttled on exactly maxAttempts attempts: 503 before anything is written, no gap', async () => {
    const w = await world();
    const first = await enqueue(w);
    // The fault clears right after the SDK's last attempt: nobody sends a fifth one.
    const f = fault({ command: 'Query', times: maxAttempts, error: () => throttle() });
    const m = metrics();
    expectUnavailable(await enqueue(w));
    expect(f.attempts()).toBe(maxAttempts);
    expect(f.injected()).toBe(maxAttempts);
    expect(m.requests('TransactWriteItems')).toBe(0);
    f.remove();
    const next = await enqueue(w);
    expect(next.body.ticket.number).toBe(first.body.ticket.number + 1);
    expect((await state(w)).tickets).toHaveLength(2);
  });

  it('call-next whose claim is throttled then clears: 200, called exactly once', async () => {
    const w = await world();
    const issued = (await enqueue(w)).body.ticket;
    const f = fault({
      command: 'TransactWriteItems',
      times: 1,
      error: () => throttle('ThrottlingException'),
    });
    const res = await callNext(w);
    expect(res.status).toBe(200);
    expect(res.body.ticket).toMatchObject({ id: issued.id, status: 'called', counterId: w.counter });
    expect(f.injected()).toBe(1);
    f.remove();
    const after = await state(w);
    expect(after.waiting).toBe(0);
    expect(after.current).toMatchObject({ code: issued.code, status: 'called' });
    expect(after.recentCodes.filter((c) => c === issued.code)).toHaveLength(1);
  });

  it('call-next whose claim stays throttled: 503; the ticket still waits and the counter is free', async () => {
    const w = await world();
    const issued = (await enqueue(w)).body.ticket;
    const f = fault({
      command: 'TransactWriteItems',
      times: Number.POSITIVE_INFINITY,
      error: () => throttle(),
    });
    expectUnavailable(await callNext(w));
    expect(f.attempts()).toBe(maxAttempts);
    f.remove();
    const ticket = await call('GET', `${w.base}/tickets/${issued.id}`, { token: w.token });
    expect(ticket.body).toMatchObject({ ticket: { status: 'waiting', counterId: null }, position: 1 });
    const after = await state(w);
    expect(after.waiting).toBe(1);
    expect(after.current).toBeNull();
    expect(after.recentCodes).toEqual([]);
    // And it is callable as if nothing happened.
    expect((await callNext(w)).body.ticket.id).toBe(issued.id);
  });

  it('complete that stays throttled: 503; the ticket is still serving and the counter still holds it', async () => {
    const w = await world();
    const issued = (await enqueue(w)).body.ticket;
    await callNext(w);
    expect((await act(w, issued.id, 'start')).status).toBe(200);
    const f = fault({
      command: 'TransactWriteItems',
      times: Number.POSITIVE_INFINITY,
      error: () => throttle(),
    });
    expectUnavailable(await act(w, issued.id, 'complete'));
    f.remove();
    const ticket = await call('GET', `${w.base}/tickets/${issued.id}`, { token: w.token });
    expect(ticket.body.ticket).toMatchObject({ status: 'serving', endedAt: null, counterId: w.counter });
    expect((await state(w)).current).toMatchObject({ code: issued.code, status: 'serving' });
    // The counter cannot call someone else meanwhile, and completing again works.
    expect((await callNext(w)).status).toBe(409);
    expect((await act(w, issued.id, 'complete')).body.ticket.status).toBe('done');
    expect((await state(w)).current).toBeNull();
  });
});

describe('transaction conflicts: retried by withContentionRetry (the SDK never retries them)', () => {
  const conflict = (times: number, command: FaultOptions['command'] = 'TransactWriteItems') =>
    fault({ command, times, error: (input) => transactionConflict(input, 1) });

  it('the enqueue transaction conflicts twice, then goes through: 201, one ticket, no gap', async () => {
    const w = await world();
    const first = (await enqueue(w)).body.ticket;
    const f = conflict(2);
    const m = metrics();
    const res = await enqueue(w);
    expect(res.status).toBe(201);
    expect(res.body.ticket.number).toBe(first.number + 1);
    expect(f.injected()).toBe(2);
    // Three sends of one attempt each: the retries are ours, not the SDK's.
    const sends = m.log().filter((e) => e.command === 'TransactWriteItems');
    expect(sends.map((e) => [e.attempts, e.error])).toEqual([
      [1, 'TransactionCanceledException'],
      [1, 'TransactionCanceledException'],
      [1, undefined],
    ]);
    f.remove();
    const after = await state(w);
    expect(after.tickets).toHaveLength(2);
    expect(after.waiting).toBe(2);
  });

  it('conflicts that outlast the retries: 503 each time, no ticket, and no gap', async () => {
    const w = await world();
    const first = (await enqueue(w)).body.ticket;
    const before = await state(w);
    const f = conflict(Number.POSITIVE_INFINITY);
    const failures = 2;
    for (let i = 0; i < failures; i++) expectUnavailable(await enqueue(w));
    expect(f.attempts()).toBe(failures * 6);
    f.remove();
    const after = await state(w);
    expect(after.tickets.map((t) => t.id)).toEqual(before.tickets.map((t) => t.id));
    expect(after.waiting).toBe(before.waiting);
    const next = (await enqueue(w)).body.ticket;
    expect(next.number).toBe(first.number + 1);
  });

  it('call-next whose claim conflicts, then clears: 200 and one claim', async () => {
    const w = await world();
    const issued = (await enqueue(w)).body.ticket;
    const f = conflict(3);
    const res = await callNext(w);
    expect(res.status).toBe(200);
    expect(res.body.ticket.id).toBe(issued.id);
    expect(f.injected()).toBe(3);
    f.remove();
    const after = await state(w);
    expect(after.waiting).toBe(0);
    expect(after.current).toMatchObject({ code: issued.code, status: 'called' });
    expect(after.recentCodes).toEqual([issued.code]);
  });

  it('call-next under persistent conflict: 503; the ticket still waits and the counter is free', async () => {
    const w = await world();
    const issued = (await enqueue(w)).body.ticket;
    const f = conflict(Number.POSITIVE_INFINITY);
    expectUnavailable(await callNext(w));
    f.remove();
    const ticket = await call('GET', `${w.base}/tickets/${issued.id}`, { token: w.token });
    expect(ticket.body.ticket).toMatchObject({ status: 'waiting', calledAt: null, counterId: null });
    const after = await state(w);
    expect(after.waiting).toBe(1);
    expect(after.current).toBeNull();
    expect((await callNext(w)).body.ticket.id).toBe(issued.id);
  });

  it('complete under persistent conflict: 503; the ticket is still called and the counter holds it', async () => {
    const w = await world();
    const issued = (await enqueue(w)).body.ticket;
    await callNext(w);
    const f = conflict(Number.POSITIVE_INFINITY);
    expectUnavailable(await act(w, issued.id, 'complete'));
    f.remove();
    const ticket = await call('GET', `${w.base}/tickets/${issued.id}`, { token: w.token });
    expect(ticket.body.ticket).toMatchObject({ status: 'called', endedAt: null, counterId: w.counter });
    expect((await state(w)).current).toMatchObject({ code: issued.code, status: 'called' });
    expect((await act(w, issued.id, 'complete')).body.ticket.status).toBe('done');
  });

  it('transfer under persistent conflict: 503; the ticket stays where it was', async () => {
    const f0 = await createBranchFixture({
      queues: { A: { priority: 'General' }, B: { priority: 'General' } },
      counters: { C1: { queues: ['A'] } },
    });
    const token = await mintToken(env.signingKey, { tenantId: f0.tenantId, role: 'admin' });
    const base = `/v1/branches/${f0.branchId}`;
    const issued = (await call('POST', `${base}/tickets`, { token, body: { queueId: f0.queues.A!.id } })).body
      .ticket;
    const f = conflict(Number.POSITIVE_INFINITY);
    expectUnavailable(
      await call('POST', `${base}/tickets/${issued.id}/transfer`, {
        token,
        body: { queueId: f0.queues.B!.id },
      }),
    );
    f.remove();
    const ticket = await call('GET', `${base}/tickets/${issued.id}`, { token });
    expect(ticket.body.ticket).toMatchObject({ status: 'waiting', queueId: f0.queues.A!.id, transfers: [] });
    const board = await call('GET', `${base}/board`, { token });
    expect(board.body.queues.map((q: any) => q.waiting)).toEqual([1, 0]);
  });
});

describe('waiting-index lag: call-next never answers 204 while the counts show a callable ticket', () => {
  const lag = (lagMs: number) => {
    const f = lagIndex({ index: 'waiting', lagMs });
    installed.push(f);
    return f;
  };

  it('a fresh ticket hidden from the index for 1.5 s: call-next waits for it and calls it (200, not 204)', async () => {
    // Warm handlers first (a cold one takes longer than the lag on a busy machine).
    const warm = await world();
    await enqueue(warm);
    expect((await callNext(warm)).status).toBe(200);
    const w = await world();
    const hidden = lag(1_500);
    const issued = (await enqueue(w)).body.ticket;
    const res = await callNext(w);
    expect(res.status, res.text).toBe(200);
    expect(res.body.ticket).toMatchObject({ id: issued.id, status: 'called', counterId: w.counter });
    // The index did hide it at first: the call had to look again.
    expect(hidden.injected()).toBeGreaterThanOrEqual(1);
    expect(hidden.attempts()).toBeGreaterThanOrEqual(2);
  });

  it('other counters taking what the counts showed, round after round, is contention, not index lag: no 503', async () => {
    const f = await createBranchFixture({ counters: { C1: { queues: ['G'] }, C2: { queues: ['G'] } } });
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
    const w: World = { f, token, base: `/v1/branches/${f.branchId}`, counter: f.counters.C1! };
    const other: World = { ...w, counter: f.counters.C2! };
    await enqueue(w);
    const ctx = ticketContext({
      actor: {
        tenantId: f.tenantId,
        userId: ulid(),
        roleId: 'agent',
        permissions: builtInRole('agent')!.permissions,
        branches: ['*'],
      },
      now: new Date(),
    });
    // Between this counter's read of the counts and its read of the heads, another counter takes
    // the one waiting ticket; right after, a new customer arrives, so the next counts show one
    // waiting again — 15 rounds, longer than the index-lag budget would last with its pauses.
    let rounds = 15;
    const tickets: typeof ctx.tickets = {
      ...ctx.tickets,
      async waiting(...args) {
        if (rounds === 0) return ctx.tickets.waiting(...args);
        rounds--;
        const taken = await callNext(other);
        expect(taken.status, taken.text).toBe(200);
        expect((await act(other, taken.body.ticket.id, 'complete')).status).toBe(200);
        const heads = await ctx.tickets.waiting(...args);
        expect((await enqueue(w)).status).toBe(201);
        return heads;
      },
    };
    const called = await callNextUseCase({ ...ctx, tickets }, { branchId: f.branchId, counterId: w.counter });
    expect(rounds).toBe(0);
    expect(called).toMatchObject({ status: 'called', counterId: w.counter });
  });

  it('a lag longer than the wait budget: 503 with Retry-After, the ticket still waits, callable once the index shows it', async () => {
    const w = await world();
    const hidden = lag(60_000);
    const issued = (await enqueue(w)).body.ticket;
    const m = metrics();
    expectUnavailable(await callNext(w));
    expect(hidden.injected()).toBeGreaterThanOrEqual(2);
    // Bounded: at most 12 rounds in 3 s (one look again at once, then pauses of 25 ms doubling to
    // 400 ms), no claim attempted. A round is the setup read and the head read — two Queries here,
    // as the hidden item still counts against `Limit 1` and leaves a LastEvaluatedKey to follow.
    expect(m.requests('TransactWriteItems')).toBe(0);
    expect(m.requests('Query')).toBeLessThanOrEqual(12 * 3);
    hidden.remove();
    const after = await state(w);
    expect(after.waiting).toBe(1);
    expect(after.current).toBeNull();
    expect((await callNext(w)).body.ticket.id).toBe(issued.id);
  });

  /**
   * Counts that say one more waits than the index will ever show, last changed `changedAgoMs`
   * ago.
   */
  async function staleHighCount(w: World, changedAgoMs: number | null) {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: queueLiveKey(w.f.tenantId, w.f.branchId, w.f.queues.G!.id, 0),
        UpdateExpression: `ADD #w :one${changedAgoMs === null ? '' : ' SET changedAt = :at'}`,
        ExpressionAttributeNames: { '#w': waitingAttribute(w.f.queues.G!.rank) },
        ExpressionAttributeValues: {
          ':one': 1,
          ...(changedAgoMs !== null && { ':at': new Date(Date.now() - changedAgoMs).toISOString() }),
        },
      }),
    );
  }

  it('stale-high counts long unchanged: 204 at once (the index has long caught up), not 503', async () => {
    const w = await world();
    await staleHighCount(w, 60_000);
    expect((await state(w)).waiting).toBe(1);
    const m = metrics();
    const res = await callNext(w);
    expect(res.status, res.text).toBe(204);
    // One setup read and one head read: no waiting for an index that is already complete.
    expect(m.byCommand().Query).toMatchObject({ requests: 2 });
  });

  it('stale-high counts that never recorded a change: 204 at once', async () => {
    const w = await world();
    await staleHighCount(w, null);
    expect((await callNext(w)).status).toBe(204);
  });

  it('stale-high counts changed just now: waits only until the index must have settled, then 204 — never 503 for ever', async () => {
    const w = await world();
    // Settles in ~0.5 s, inside the wait budget: the answer is 204 rather than 503.
    await staleHighCount(w, INDEX_SETTLE_MS - 500);
    expect((await callNext(w)).status).toBe(204);
    // Changed this instant: 503 now (the index could still be behind)…
    const fresh = await world();
    await staleHighCount(fresh, 0);
    expectUnavailable(await callNext(fresh));
    // …and 204 once the settle time has passed since that change, with no write in between.
    const later = await callNextAt(fresh, INDEX_SETTLE_MS + 1_000);
    expect(later).toBeNull();
  });
});
