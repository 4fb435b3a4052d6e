import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/api';
import { createBranchFixture } from '../support/branch-fixture';
import { createTestEnv, type TestEnv } from '../support/env';
import { mintToken } from '../support/tokens';

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

  it('30 parallel enqueues get numbers exactly 1..30', async () => {
    const { f, token } = await branchWithCounters(1);
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        call('POST', `/v1/branches/${f.branchId}/tickets`, { token, body: { queueId: f.queues.G!.id } }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const numbers = results.map((r) => r.body.ticket.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const board = await call('GET', `/v1/branches/${f.branchId}/board`, { token });
    expect(board.body.queues[0].waiting).toBe(30);
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
