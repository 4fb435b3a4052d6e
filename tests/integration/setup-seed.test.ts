import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemoSetup } from '#local/seed-setup';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { newTenant } from '#tests/support/setup-fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

describe('seedDemoSetup', () => {
  it('creates the demo priorities, branch, queues and counters, readable through the API', async () => {
    const { tenantId, token } = await newTenant(env);
    await seedDemoSetup({ tenantId, adminUserId: '01JD6Z3Q8M5V2X9K4T7R1N0B3C', now: new Date() });

    const priorities = (await call('GET', '/v1/priorities', { token })).body.items;
    expect(priorities.map((p: any) => [p.name, p.rank, p.targetWaitMinutes])).toEqual([
      ['Preferential', 1, 10],
      ['Appointments', 2, 15],
      ['General', 3, 20],
    ]);
    const branches = (await call('GET', '/v1/branches', { token })).body.items;
    expect(branches).toHaveLength(1);
    expect(branches[0]).toMatchObject({
      name: 'Main Branch',
      timezone: 'Europe/Madrid',
      resetHour: 3,
      agingMinutes: 15,
    });

    const base = `/v1/branches/${branches[0].id}`;
    const queues = (await call('GET', `${base}/queues`, { token })).body.items;
    const priorityName = (id: string) => priorities.find((p: any) => p.id === id).name;
    expect(queues.map((q: any) => [q.prefix, q.name, priorityName(q.priorityId), q.status])).toEqual([
      ['P', 'Preferential', 'Preferential', 'open'],
      ['C', 'Appointments', 'Appointments', 'open'],
      ['G', 'General', 'General', 'open'],
    ]);
    const prefixOf = (id: string) => queues.find((q: any) => q.id === id).prefix;
    const counters = (await call('GET', `${base}/counters`, { token })).body.items;
    expect(counters.map((c: any) => [c.name, c.queueIds.map(prefixOf), c.allowStealing])).toEqual([
      ['Counter 1', ['P', 'G'], true],
      ['Counter 2', ['C', 'G'], true],
      ['Counter 3', ['G'], true],
    ]);
    // Three counters serve G: its estimate is defined.
    expect(queues[2].estimatedWaitSeconds).toBe(0);
  });
});
