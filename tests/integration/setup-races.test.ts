import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoBranchStore } from '#core/adapters/dynamo/branch-store';
import { branchKey } from '#core/adapters/dynamo/items/branch';
import { prefixClaimKey, queueKey } from '#core/adapters/dynamo/items/queue';
import { dynamoPriorityStore } from '#core/adapters/dynamo/priority-store';
import { dynamoQueueStore } from '#core/adapters/dynamo/queue-store';
import { dynamoSetupStore } from '#core/adapters/dynamo/setup-store';
import { StaleReadError } from '#core/ports/setup';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { storedItem, tenantWithBranch } from '#tests/support/setup-fixtures';

/**
 * What a request read can be outdated by the time it writes. These tests hand the repositories
 * such stale reads (or race real requests) and check the conditional writes refuse them.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

async function world() {
  const w = await tenantWithBranch(env, { rank: 4 });
  return { ...w, path: `/v1/branches/${w.branch.id}/queues` };
}

describe('stale reads are refused', () => {
  it('a queue delete that did not see a new counter of the queue', async () => {
    const w = await world();
    const q = await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id });
    const stale = await dynamoSetupStore.load(w.tenantId, w.branch.id);
    await w.api.counter(w.branch.id, { queueIds: [q.id] });
    const queue = stale.queues[0]!;
    await expect(dynamoQueueStore.delete(w.tenantId, queue, new Date())).rejects.toBeInstanceOf(
      StaleReadError,
    );
    expect(await storedItem(queueKey(w.tenantId, w.branch.id, q.id))).not.toHaveProperty('deletedAt');
  });

  it('a branch delete that did not see a new queue', async () => {
    const w = await world();
    const stale = await dynamoSetupStore.load(w.tenantId, w.branch.id);
    await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id });
    await expect(dynamoBranchStore.delete(w.tenantId, stale, new Date())).rejects.toBeInstanceOf(
      StaleReadError,
    );
    expect(await storedItem(branchKey(w.tenantId, w.branch.id))).not.toHaveProperty('deletedAt');
  });

  it('a queue created with the rank of a priority changed meanwhile', async () => {
    const w = await world();
    const read = (await dynamoQueueStore.getPriority(w.tenantId, w.priority.id))!;
    await call('PATCH', `/v1/priorities/${w.priority.id}`, { token: w.token, body: { rank: 1 } });
    const at = new Date().toISOString();
    const queue = {
      id: '01JD6Z3Q8M5V2X9K4T7R1N0B3C',
      branchId: w.branch.id,
      name: 'Stale',
      prefix: 'S',
      priorityId: w.priority.id,
      priorityRank: read.priority.rank,
      targetWaitMinutes: read.priority.targetWaitMinutes,
      status: 'open' as const,
      description: null,
      displayOrder: null,
      createdAt: at,
      updatedAt: at,
    };
    await expect(dynamoQueueStore.create(w.tenantId, queue, read.version)).rejects.toBeInstanceOf(
      StaleReadError,
    );
    expect(await storedItem(prefixClaimKey(w.tenantId, w.branch.id, 'S'))).toBeUndefined();
  });

  it('a late copy of an older priority version does not overwrite a newer one', async () => {
    const w = await world();
    const q = await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id });
    const old = (await dynamoPriorityStore.get(w.tenantId, w.priority.id))!;
    await call('PATCH', `/v1/priorities/${w.priority.id}`, { token: w.token, body: { rank: 9 } });
    await dynamoPriorityStore.syncQueues(w.tenantId, { ...old, queueCount: 1 });
    expect(await storedItem(queueKey(w.tenantId, w.branch.id, q.id))).toMatchObject({ priorityRank: 9 });
  });
});

describe('racing requests', () => {
  it('parallel creates with one prefix: exactly one wins', async () => {
    const w = await world();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        call('POST', w.path, {
          token: w.token,
          body: { name: `Q${i}`, prefix: 'A', priorityId: w.priority.id },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await call('GET', w.path, { token: w.token })).body.items).toHaveLength(1);
  });

  it('parallel prefix changes of one queue leave exactly one claim, the queue’s', async () => {
    const w = await world();
    const q = await w.api.queue(w.branch.id, { prefix: 'A', priorityId: w.priority.id });
    const targets = ['X', 'Y', 'Z'];
    const results = await Promise.all(
      targets.map((prefix) => call('PATCH', `${w.path}/${q.id}`, { token: w.token, body: { prefix } })),
    );
    expect(results.some((r) => r.status === 200)).toBe(true);
    for (const r of results) expect([200, 409]).toContain(r.status);
    const { prefix } = (await call('GET', `${w.path}/${q.id}`, { token: w.token })).body;
    const claims = await Promise.all(
      ['A', ...targets].map((p) => storedItem(prefixClaimKey(w.tenantId, w.branch.id, p))),
    );
    expect(claims.filter(Boolean)).toEqual([
      expect.objectContaining({ queueId: q.id, ...prefixClaimKey(w.tenantId, w.branch.id, prefix) }),
    ]);
  });
});
