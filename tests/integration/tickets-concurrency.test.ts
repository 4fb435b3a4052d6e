import { TransactionConflictException } from '@aws-sdk/client-dynamodb';
import type { InitializeHandler, InitializeHandlerArguments, InitializeMiddleware } from '@smithy/types';
import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '#core/adapters/dynamo/client';
import { QUEUE_PREFIX, SEQUENCE_PREFIX } from '#core/adapters/dynamo/items/queue';
import { builtInRole } from '#core/domain/permissions';
import { enqueue as enqueueUseCase } from '#core/usecases/tickets/enqueue';
import { ticketContext } from '#functions/commons/context';
import { call } from '#tests/support/api';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { type Fault, injectFault } from '#tests/support/fault-injection';
import { ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

async function branchWithCounters(counters: number) {
  const names = Array.from({ length: counters }, (_, i) => `C${i + 1}`);
  const f = await createBranchFixture({
    counters: Object.fromEntries(names.map((n) => [n, { queues: ['G'] }])),
  });
  const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'agent' });
  return { f, token, counterIds: names.map((n) => f.counters[n]!) };
}

describe('exactly once under concurrency (DynamoDB Local)', () => {
  it('14 parallel call-next on 10 waiting: 10 distinct tickets and 4 × 204', async () => {
    const { f, token, counterIds } = await branchWithCounters(14);
    const base = `/v1/branches/${f.branchId}`;
    const issued = [];
    for (let i = 0; i < 10; i++) {
      issued.push(
        (await call('POST', `${base}/tickets`, { token, body: { queueId: f.queues.G!.id } })).body.ticket.id,
      );
    }
    const results = await Promise.all(
      counterIds.map((id) => call('POST', `${base}/counters/${id}/call-next`, { token })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 204)).toHaveLength(4);
    const called = results.filter((r) => r.status === 200).map((r) => r.body.ticket.id);
    expect(new Set(called).size).toBe(10);
    expect([...called].sort()).toEqual([...issued].sort());
  });

  it('30 parallel enqueues: numbers exactly 1..30, the n-th at position n, called in number order', async () => {
    const { f, token, counterIds } = await branchWithCounters(1);
    const base = `/v1/branches/${f.branchId}`;
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        call('POST', `${base}/tickets`, { token, body: { queueId: f.queues.G!.id } }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const issued = results.map((r) => r.body).sort((a, b) => a.ticket.number - b.ticket.number);
    expect(issued.map((r) => r.ticket.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // The position in each 201 is exact: one priority, nobody called → position = number.
    expect(issued.map((r) => r.position)).toEqual(issued.map((r) => r.ticket.number));
    // queuedAt is taken with the number: never decreasing in number order.
    const queuedAt = issued.map((r) => r.ticket.queuedAt);
    expect(queuedAt).toEqual([...queuedAt].sort());
    const board = await call('GET', `${base}/board`, { token });
    expect(board.body.queues[0].waiting).toBe(30);
    // Number order is call order.
    const called: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await call('POST', `${base}/counters/${counterIds[0]}/call-next`, { token });
      expect(r.status).toBe(200);
      called.push(r.body.ticket.number);
      expect((await call('POST', `${base}/tickets/${r.body.ticket.id}/complete`, { token })).status).toBe(
        200,
      );
    }
    expect(called).toEqual(issued.map((r) => r.ticket.number));
  });

  it('reassign-all while 5 counters call in a loop: every ticket called once or waiting in the target', async () => {
    const f = await createBranchFixture({
      queues: { A: { priority: 'General' }, B: { priority: 'General' } },
      counters: Object.fromEntries(
        Array.from({ length: 5 }, (_, i) => [`C${i + 1}`, { queues: ['A'], allowStealing: false }]),
      ),
    });
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
    const base = `/v1/branches/${f.branchId}`;
    const issued: string[] = [];
    for (let i = 0; i < 40; i++) {
      issued.push(
        (await call('POST', `${base}/tickets`, { token, body: { queueId: f.queues.A!.id } })).body.ticket.id,
      );
    }
    const calledBy = new Map<string, string[]>();
    let reassignDone = false;
    const counterLoop = async (counterId: string) => {
      for (;;) {
        const r = await call('POST', `${base}/counters/${counterId}/call-next`, { token });
        if (r.status === 204) {
          if (reassignDone) return;
          continue;
        }
        expect(r.status).toBe(200);
        const id = r.body.ticket.id as string;
        calledBy.set(id, [...(calledBy.get(id) ?? []), counterId]);
        expect((await call('POST', `${base}/tickets/${id}/complete`, { token })).status).toBe(200);
      }
    };
    const loops = Object.values(f.counters).map(counterLoop);
    await new Promise((r) => setTimeout(r, 30));
    const reassigned = await call('POST', `${base}/reassign`, {
      token,
      body: { fromQueueId: f.queues.A!.id, toQueueId: f.queues.B!.id },
    });
    reassignDone = true;
    await Promise.all(loops);
    expect(reassigned.status).toBe(200);
    const moved = new Set<string>(reassigned.body.moved);
    expect(reassigned.body.count).toBe(moved.size);
    for (const id of issued) {
      const calls = calledBy.get(id) ?? [];
      expect(calls.length, `ticket ${id} called ${calls.length} times`).toBeLessThanOrEqual(1);
      expect(calls.length === 1 || moved.has(id), `ticket ${id} lost`).toBe(true);
      expect(!(calls.length === 1 && moved.has(id)), `ticket ${id} both called and moved`).toBe(true);
    }
    const inB = await call('GET', `${base}/tickets`, {
      token,
      query: { queueId: f.queues.B!.id, status: 'waiting', limit: '100' },
    });
    expect(inB.body.items.map((t: any) => t.id).sort()).toEqual([...moved].sort());
  });
});

/**
 * Runs `hooks` in turn, each just before the next transaction that writes a new ticket (or
 * whatever `matches`) is sent — the moment between a request's read and its write, where
 * another request can get in. The transaction then goes on as it would have. What a hook does
 * itself triggers no hook.
 */
function beforeTransactions(hooks: Array<() => Promise<void>>, matches = writesNewTicket) {
  const name = `race${ulid()}`;
  let running = false;
  const middleware: InitializeMiddleware<any, any> =
    (next: InitializeHandler<any, any>, context) => async (args: InitializeHandlerArguments<any>) => {
      const hook =
        !running && context.commandName === 'TransactWriteItemsCommand' && matches(args.input)
          ? hooks.shift()
          : undefined;
      if (hook) {
        running = true;
        try {
          await hook();
        } finally {
          running = false;
        }
      }
      return next(args);
    };
  dynamo().middlewareStack.add(middleware, { step: 'initialize', name, priority: 'high' });
  cleanups.push(() => dynamo().middlewareStack.remove(name));
}

// Whether lib-dynamodb has marshalled the input yet at this step or not.
const plain = (v: any) => v?.S ?? (v?.N !== undefined ? Number(v.N) : v);
const writesNewTicket = (input: any) =>
  input.TransactItems.some((i: any) => plain(i.Put?.Item?.type) === 'ticket' && plain(i.Put.Item.rev) === 0);
const deletesQueue = (input: any) =>
  input.TransactItems.some(
    (i: any) =>
      plain(i.Update?.Key?.sk)?.startsWith(QUEUE_PREFIX) &&
      Object.values(i.Update.ExpressionAttributeNames ?? {}).includes('deletedAt'),
  );

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('a queue paused, closed or deleted while a ticket is being issued into it', () => {
  async function world() {
    // G is served by nobody, so that it can be deleted; H keeps the branch served.
    const f = await createBranchFixture({
      queues: { G: { priority: 'General' }, H: { priority: 'General' } },
      counters: { C1: { queues: ['H'] } },
    });
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
    const base = `/v1/branches/${f.branchId}`;
    const queueUrl = `${base}/queues/${f.queues.G!.id}`;
    const enqueue = () => call('POST', `${base}/tickets`, { token, body: { queueId: f.queues.G!.id } });
    const waiting = async () =>
      (await call('GET', `${base}/tickets`, { token, query: { queueId: f.queues.G!.id, status: 'waiting' } }))
        .body.items as Array<{ number: number }>;
    return { f, token, base, queueUrl, enqueue, waiting };
  }

  for (const status of ['paused', 'closed'] as const) {
    it(`${status} after the enqueue read it open: the ticket is refused (409), none waits`, async () => {
      const w = await world();
      beforeTransactions([
        async () => {
          expect((await call('PATCH', w.queueUrl, { token: w.token, body: { status } })).status).toBe(200);
        },
      ]);
      const res = await w.enqueue();
      expect(res.status, res.text).toBe(409);
      expect(await w.waiting()).toEqual([]);
    });
  }

  it('deleted after the enqueue read it: the ticket is refused, none waits in the deleted queue', async () => {
    const w = await world();
    beforeTransactions([
      async () => {
        expect((await call('DELETE', w.queueUrl, { token: w.token })).status).toBe(204);
      },
    ]);
    const res = await w.enqueue();
    expect([400, 404, 409], res.text).toContain(res.status);
    expect((await call('GET', w.queueUrl, { token: w.token })).status).toBe(404);
    const all = await call('GET', `${w.base}/tickets`, { token: w.token, query: { status: 'waiting' } });
    expect(all.body.items).toEqual([]);
  });

  it('a ticket issued after the delete read "none waiting": the delete is refused (409), the ticket waits', async () => {
    const w = await world();
    let issued: any;
    beforeTransactions(
      [
        async () => {
          issued = await w.enqueue();
        },
      ],
      deletesQueue,
    );
    const res = await call('DELETE', w.queueUrl, { token: w.token });
    expect(issued.status).toBe(201);
    expect(res.status, res.text).toBe(409);
    expect(res.body.type).toContain('tickets-waiting');
    expect((await w.waiting()).map((t) => t.number)).toEqual([1]);
  });

  it('paused while a contended enqueue holds a reserved number: refused, and the number is given back', async () => {
    const w = await world();
    expect((await w.enqueue()).status).toBe(201);
    beforeTransactions([
      // Another kiosk takes the next number first: this enqueue reserves the one after …
      async () => {
        expect((await w.enqueue()).status).toBe(201);
      },
      // … and the queue is paused before its ticket is written.
      async () => {
        expect((await call('PATCH', w.queueUrl, { token: w.token, body: { status: 'paused' } })).status).toBe(
          200,
        );
      },
    ]);
    const res = await w.enqueue();
    expect(res.status, res.text).toBe(409);
    expect((await w.waiting()).map((t) => t.number)).toEqual([1, 2]);
    // Reopened: the next ticket gets number 3 (no gap) and position 3.
    expect((await call('PATCH', w.queueUrl, { token: w.token, body: { status: 'open' } })).status).toBe(200);
    const next = await w.enqueue();
    expect(next.body).toMatchObject({ ticket: { number: 3 }, position: 3 });
  });
});

describe('a contended enqueue reserving its number', () => {
  it('retries the reservation on TransactionConflict instead of answering 503', async () => {
    const f = await createBranchFixture({});
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
    const enqueue = () =>
      call('POST', `/v1/branches/${f.branchId}/tickets`, { token, body: { queueId: f.queues.G!.id } });
    let conflicts: Fault | undefined;
    beforeTransactions([
      // Another enqueue takes the number first, so this one reserves the next with an update of
      // the queue's numbering — which a transaction holding that item makes fail twice.
      async () => {
        expect((await enqueue()).status).toBe(201);
        conflicts = injectFault({
          command: 'UpdateItem',
          times: 2,
          when: (input) => input.Key?.sk?.S?.startsWith(SEQUENCE_PREFIX),
          error: () =>
            new TransactionConflictException({
              message: 'Transaction is ongoing for the item',
              $metadata: { httpStatusCode: 400 },
            }),
        });
        cleanups.push(() => conflicts!.remove());
      },
    ]);
    const res = await enqueue();
    expect(res.status, res.text).toBe(201);
    expect(conflicts!.injected()).toBe(2);
    expect(res.body).toMatchObject({ ticket: { number: 2 }, position: 2 });
  });
});

describe('numbering under skewed clocks', () => {
  it('60 parallel enqueues whose clocks differ by up to a second all get a number, in queuedAt order', async () => {
    const f = await createBranchFixture({});
    const base = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        enqueueUseCase(
          ticketContext({
            actor: {
              tenantId: f.tenantId,
              userId: ulid(),
              roleId: 'kiosk',
              permissions: builtInRole('kiosk')!.permissions,
              branches: ['*'],
            },
            // Requests read at different instants (or by Lambdas whose clocks differ): every
            // other one half a second to a second behind the newest.
            now: new Date(base + (i % 2 === 0 ? 1000 : Math.floor(Math.random() * 500))),
          }),
          { branchId: f.branchId, queueId: f.queues.G!.id },
        ),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    expect(failed).toEqual([]);
    const issued = results
      .map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof enqueueUseCase>>>).value.ticket)
      .sort((a, b) => a.number - b.number);
    expect(issued.map((t) => t.number)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const queuedAt = issued.map((t) => t.queuedAt);
    expect(queuedAt).toEqual([...queuedAt].sort());
  });
});

describe.concurrent('exactly once, on a branch fixture', () => {
  const tenantId = ulid();
  let agent: string;
  beforeAll(async () => {
    agent = await mintToken(env.signingKey, { tenantId, role: 'agent' });
  });
  const fixture = (options: Parameters<typeof createBranchFixture>[0] = {}) =>
    createBranchFixture({ tenantId, agingMinutes: 0, ...options });
  const { inQueue, next } = ticketCalls(() => agent);

  it('parallel enqueues get unique numbers with no gaps', async () => {
    const f = await fixture();
    const all = await Promise.all(Array.from({ length: 12 }, () => inQueue(f, 'G')));
    expect(all.map((r) => r.ticket.number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(new Set(all.map((r) => r.ticket.code)).size).toBe(12);
  });

  it('with k waiting and m > k concurrent calls, k get distinct tickets and m − k get 204', async () => {
    const counters = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`D${i}`, { queues: ['G'] }]));
    const f = await fixture({ counters });
    const issued = [];
    for (let i = 0; i < 3; i++) issued.push((await inQueue(f, 'G')).ticket.id);
    const answers = await Promise.all(Object.keys(counters).map((c) => next(f, c)));
    const ok = answers.filter((r) => r.status === 200).map((r) => r.body.ticket.id);
    expect(answers.filter((r) => r.status === 204)).toHaveLength(3);
    expect(ok.sort()).toEqual([...issued].sort());
  });
});
