import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoTicketStore } from '#core/adapters/dynamo/ticket-store';
import { WriteConflict } from '#core/ports/tickets';
import { callNext } from '#core/usecases/tickets/call-next';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { requestMetrics } from '#functions/commons/metrics';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { type EmfLine, emfLinesOf, metricsOf } from '#tests/support/metrics';
import { agentContextAt, branchPath, expectStatus } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * Business metrics: what the ticket routes report, as CloudWatch reads it from their logs — one
 * Embedded Metric Format line per request that did something worth counting, namespace
 * Queueline, the `service` dimension only. Day closes: day-close-queue.test.ts and
 * day-close-safety.test.ts.
 */

let env: TestEnv;
const tenantId = ulid();
const agentId = ulid();
let agent: string;
let f: BranchFixture;
const ctxAt = agentContextAt(tenantId, agentId);

beforeAll(async () => {
  env = await createTestEnv();
  f = await createBranchFixture({
    tenantId,
    agingMinutes: 0,
    queues: { G: { priority: 'General' }, H: { priority: 'General' } },
    counters: { 'Counter 1': { queues: ['G', 'H'] } },
  });
  agent = await mintToken(env.signingKey, { tenantId, userId: agentId, role: 'agent' });
});

/** The one EMF line a request printed, checked for namespace, dimension and units. */
function onlyLine(lines: EmfLine[]): EmfLine {
  expect(lines).toHaveLength(1);
  const [line] = lines;
  expect(line!._aws.CloudWatchMetrics).toHaveLength(1);
  expect(line!._aws.CloudWatchMetrics[0]).toMatchObject({
    Namespace: 'Queueline',
    Dimensions: [['service']],
  });
  expect(line!.service).toBe('queueline');
  // No dimension per tenant or branch, and nothing of the request in the metric line.
  expect(JSON.stringify(line)).not.toContain(tenantId);
  expect(JSON.stringify(line)).not.toContain(f.branchId);
  return line!;
}

describe('business metrics of the ticket routes', () => {
  it('a ticket served: issued, called with its first-call wait, served — one line per request, none for the rest', async () => {
    const base = branchPath(f);
    const counter = f.counters['Counter 1']!;
    // First in line, waiting for 95 s: a ticket issued through the use case at an earlier clock.
    const early = await enqueue(ctxAt(new Date(Date.now() - 95_000)), {
      branchId: f.branchId,
      queueId: f.queues.G!.id,
    });

    const issued = await emfLinesOf(() =>
      call('POST', `${base}/tickets`, { token: agent, body: { queueId: f.queues.G!.id } }),
    );
    expectStatus(issued.result, 201, 'enqueue');
    expect(metricsOf(onlyLine(issued.lines))).toEqual({ TicketsIssued: { unit: 'Count', value: 1 } });
    const called = await emfLinesOf(() =>
      call('POST', `${base}/counters/${counter}/call-next`, { token: agent }),
    );
    expectStatus(called.result, 200, 'call-next');
    const ticket = called.result.body.ticket;
    expect(ticket.id).toBe(early.ticket.id);
    const wait = Math.floor((Date.parse(ticket.calledAt) - Date.parse(ticket.createdAt)) / 1000);
    expect(wait).toBeGreaterThanOrEqual(95);
    expect(metricsOf(onlyLine(called.lines))).toEqual({
      TicketsCalled: { unit: 'Count', value: 1 },
      FirstCallWaitSeconds: { unit: 'Seconds', value: wait },
    });

    const quiet = await emfLinesOf(async () => [
      await call('POST', `${base}/tickets/${ticket.id}/start`, { token: agent }),
      await call('GET', `${base}/tickets/${ticket.id}`, { token: agent }),
      await call('GET', `${base}/board`, { token: agent }),
    ]);
    for (const res of quiet.result) expectStatus(res, 200);
    expect(quiet.lines).toEqual([]);

    const headers = { 'idempotency-key': `complete-${ticket.id}` };
    const served = await emfLinesOf(() =>
      call('POST', `${base}/tickets/${ticket.id}/complete`, { token: agent, headers }),
    );
    expectStatus(served.result, 200, 'complete');
    expect(metricsOf(onlyLine(served.lines))).toEqual({ TicketsServed: { unit: 'Count', value: 1 } });
    // A replay answers as before and counts nothing again.
    const replay = await emfLinesOf(() =>
      call('POST', `${base}/tickets/${ticket.id}/complete`, { token: agent, headers }),
    );
    expectStatus(replay.result, 200, 'replay');
    expect(replay.result.headers['idempotent-replayed']).toBe('true');
    expect(replay.lines).toEqual([]);
  });

  it('a ticket called again after a transfer is a call, not a second first-call wait', async () => {
    const base = branchPath(f);
    const counter = f.counters['Counter 1']!;
    // Whatever the first test left waiting is served first.
    for (;;) {
      const res = await call('POST', `${base}/counters/${counter}/call-next`, { token: agent });
      if (res.status === 204) break;
      expectStatus(res, 200);
      expectStatus(
        await call('POST', `${base}/tickets/${res.body.ticket.id}/complete`, { token: agent }),
        200,
      );
    }
    const { ticket } = await enqueue(ctxAt(new Date()), { branchId: f.branchId, queueId: f.queues.G!.id });
    expectStatus(await call('POST', `${base}/counters/${counter}/call-next`, { token: agent }), 200);
    const moved = await call('POST', `${base}/tickets/${ticket.id}/transfer`, {
      token: agent,
      body: { queueId: f.queues.H!.id },
    });
    expectStatus(moved, 200, 'transfer');
    const again = await emfLinesOf(() =>
      call('POST', `${base}/counters/${counter}/call-next`, { token: agent }),
    );
    expectStatus(again.result, 200, 'call-next again');
    expect(again.result.body.ticket.id).toBe(ticket.id);
    expect(metricsOf(onlyLine(again.lines))).toEqual({ TicketsCalled: { unit: 'Count', value: 1 } });
  });

  it("counts call-next's lost races, summed into the request's line", async () => {
    const g = await createBranchFixture({ tenantId, counters: { 'Counter 1': { queues: ['G'] } } });
    await enqueue(ctxAt(new Date()), { branchId: g.branchId, queueId: g.queues.G!.id });
    // Two races lost on the ticket, which still waits (seen at an older revision): then it is called.
    let losses = 2;
    const tickets = {
      ...dynamoTicketStore,
      apply: (...args: Parameters<typeof dynamoTicketStore.apply>) =>
        losses-- > 0
          ? Promise.reject(new WriteConflict('ticket', { status: 'waiting' }))
          : dynamoTicketStore.apply(...args),
    };
    const metrics = requestMetrics();
    const { lines } = await emfLinesOf(async () => {
      const called = await callNext(
        { ...ctxAt(new Date()), tickets, metrics },
        { branchId: g.branchId, counterId: g.counters['Counter 1']! },
      );
      expect(called?.status).toBe('called');
      metrics.publish();
    });
    expect(metricsOf(onlyLine(lines))).toEqual({
      CallNextConflicts: { unit: 'Count', value: 2 },
      TicketsCalled: { unit: 'Count', value: 1 },
      FirstCallWaitSeconds: { unit: 'Seconds', value: expect.any(Number) },
    });
  });
});
