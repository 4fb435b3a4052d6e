import { builtInRole } from '#core/domain/permissions';
import { provisionTenant } from '#core/usecases/identity/provision-tenant';
import type { TicketContext } from '#core/usecases/tickets/context';
import { tenantContext, ticketContext } from '#functions/commons/context';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';

export const TZ = 'Europe/Madrid';

/**
 * The branch of the demo seed (local/seed-setup.ts): priorities Preferential (rank 1),
 * Appointments (2) and General (3); queues P, C, G of those priorities; Counter 1 serves P+G,
 * Counter 2 C+G, Counter 3 G. Written in the item shapes of core/adapters/dynamo/items.
 */
export const DEMO_SHAPE = {
  timezone: TZ,
  priorities: {
    Preferential: { rank: 1, targetWaitMinutes: 10 },
    Appointments: { rank: 2, targetWaitMinutes: 15 },
    General: { rank: 3, targetWaitMinutes: 20 },
  },
  queues: {
    P: { priority: 'Preferential' },
    C: { priority: 'Appointments' },
    G: { priority: 'General' },
  },
  counters: {
    'Counter 1': { queues: ['P', 'G'] },
    'Counter 2': { queues: ['C', 'G'] },
    'Counter 3': { queues: ['G'] },
  },
} satisfies Parameters<typeof createBranchFixture>[0];

export const demoBranch = (tenantId?: string) => createBranchFixture({ ...DEMO_SHAPE, tenantId });

export const PASSWORD = 'bench-password-123';

/** A verified tenant and its admin (password PASSWORD), through the real provisioning use case. */
export async function tenantWithAdmin(slug: string) {
  return provisionTenant(tenantContext({ now: new Date() }), {
    organization: { name: 'Bench Org', slug },
    admin: { username: 'admin', email: 'admin@bench.invalid', password: PASSWORD, fullName: 'Bench Admin' },
    verified: true,
  });
}

/** Waiting tickets written straight into the table, as enqueue leaves them (see there). */
export { seedWaiting } from '#tests/support/waiting-seed';

/** The ticket use cases' context for an agent at a given instant (a controlled clock). */
export function agentContext(f: BranchFixture, userId: string, now: Date): TicketContext {
  const actor = {
    tenantId: f.tenantId,
    userId,
    roleId: 'agent',
    permissions: builtInRole('agent')!.permissions,
    branches: ['*'],
  };
  return ticketContext({ actor, now });
}
