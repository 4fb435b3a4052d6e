import type { Actor } from '#core/domain/actor';
import { PERMISSION_IDS } from '#core/domain/permissions';
import { createBranch } from '#core/usecases/setup/branches';
import { createCounter } from '#core/usecases/setup/counters';
import { createPriority } from '#core/usecases/setup/priorities';
import { createQueue } from '#core/usecases/setup/queues';
import { branchContext, counterContext, priorityContext, queueContext } from '#functions/commons/context';

const PRIORITIES = [
  { name: 'Preferential', rank: 1, targetWaitMinutes: 10 },
  { name: 'Appointments', rank: 2, targetWaitMinutes: 15 },
  { name: 'General', rank: 3, targetWaitMinutes: 20 },
];

/** prefix → queue name, which is also the name of its priority. */
const QUEUES = { P: 'Preferential', C: 'Appointments', G: 'General' } as const;

const COUNTERS: Array<{ name: string; queues: Array<keyof typeof QUEUES> }> = [
  { name: 'Counter 1', queues: ['P', 'G'] },
  { name: 'Counter 2', queues: ['C', 'G'] },
  { name: 'Counter 3', queues: ['G'] },
];

/**
 * The demo organisation (docs/rules.md#running-it) — three priorities, one branch, three queues,
 * three counters — created through the same use cases as the API, as the demo admin.
 */
export async function seedDemoSetup({
  tenantId,
  adminUserId,
  now,
}: {
  tenantId: string;
  adminUserId: string;
  now: Date;
}): Promise<void> {
  const admin: Actor = {
    tenantId,
    userId: adminUserId,
    roleId: 'admin',
    permissions: PERMISSION_IDS,
    branches: ['*'],
  };
  const caller = { actor: admin, now };
  const priorityIds = new Map<string, string>();
  for (const p of PRIORITIES) {
    priorityIds.set(p.name, (await createPriority(priorityContext(caller), p)).id);
  }
  const branch = await createBranch(branchContext(caller), {
    name: 'Main Branch',
    timezone: 'Europe/Madrid',
    resetHour: 3,
    agingMinutes: 15,
  });
  const queueIds = new Map<string, string>();
  for (const [prefix, name] of Object.entries(QUEUES)) {
    const input = { branchId: branch.id, name, prefix, priorityId: priorityIds.get(name)! };
    queueIds.set(prefix, (await createQueue(queueContext(caller), input)).id);
  }
  for (const c of COUNTERS) {
    await createCounter(counterContext(caller), {
      branchId: branch.id,
      name: c.name,
      queueIds: c.queues.map((prefix) => queueIds.get(prefix)!),
    });
  }
}
