import { beforeAll, describe, expect, it } from 'vitest';
import { branchChannel } from '#core/domain/live';
import { fanOut, type TicketListener } from '#core/usecases/live/fan-out';
import { publicTicketContext } from '#functions/commons/context';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measured } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * What one change costs the fan-out in DynamoDB requests — a deterministic budget: the branch's
 * setup read once for its board and every watched ticket's status, the board's waiting heads,
 * one GetItem per watched ticket; nothing per viewer.
 */

let env: TestEnv;
let f: BranchFixture;
let admin: string;
const listeners: TicketListener[] = [];

beforeAll(async () => {
  env = await createTestEnv({ stream: true });
  f = await createBranchFixture({});
  admin = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  const calls = ticketCalls(() => admin);
  for (let i = 0; i < 5; i++) {
    const { ticket } = await calls.inQueue(f, 'G');
    listeners.push({ publicToken: ticket.publicToken, waitingIn: f.queues.G!.id });
  }
});

describe('the fan-out of one change', () => {
  it('reads the setup once for the board and five watched tickets of the moved line, whatever the viewers', async () => {
    const change = { tenantId: f.tenantId, branchId: f.branchId, tickets: [], movedQueues: [f.queues.G!.id] };
    const audience = { listens: () => true, ticketsOf: () => listeners };
    const { result, metrics } = await measured(() =>
      fanOut(publicTicketContext({ now: new Date() }), [change], audience),
    );
    expect(result.map((d) => d.message.type).sort()).toEqual([
      'board',
      'ticket',
      'ticket',
      'ticket',
      'ticket',
      'ticket',
    ]);
    expect(result.find((d) => d.message.type === 'board')!.channel).toBe(
      branchChannel(f.tenantId, f.branchId),
    );
    const commands = metrics.log().map((r) => `${r.command} ${r.targets.join(',')}`);
    // One setup Query of the table, one head Query of the waiting index (one rank in use), five
    // tickets and the tenant's branding once.
    expect(commands.filter((c) => c === `Query ${env.tableName}`)).toHaveLength(1);
    expect(commands.filter((c) => c.startsWith('Query') && c.includes('/waiting'))).toHaveLength(1);
    expect(commands.filter((c) => c.startsWith('GetItem'))).toHaveLength(6);
    expect(commands).toHaveLength(8);
  });
});
