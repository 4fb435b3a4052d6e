import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { notifyFunction } from '#core/contract/jobs';
import type { OutgoingMessage } from '#core/ports/notify';
import { notifyChanges } from '#core/usecases/notify/notify';
import { notifyContext } from '#functions/commons/context';
import { runAs } from '#functions/commons/running';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measured } from '#tests/support/dynamo-metrics';
import { createTestEnv } from '#tests/support/env';
import { ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * What one change costs the message sender in DynamoDB requests — a deterministic budget that
 * does not grow with the line: the branch's setup once, the first `notifyAtPosition` tickets of
 * the moved line, one read per candidate signed up, one claim per message. Run as the `notify`
 * function, so every call is checked against its grant.
 */

let f: BranchFixture;
let admin: string;
const signedUp: string[] = [];

beforeAll(async () => {
  const env = await createTestEnv();
  f = await createBranchFixture({ agingMinutes: 0 });
  admin = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  const calls = ticketCalls(() => admin);
  // 40 waiting; every other one asked for email.
  for (let i = 0; i < 40; i++) {
    const customer = { email: `c${i}-${ulid().toLowerCase()}@example.org` };
    const { ticket } = await calls.inQueue(f, 'G', i % 2 === 0 ? { customer, notify: ['email'] } : {});
    if (i % 2 === 0) signedUp.push(ticket.id);
  }
});

const run = runAs(notifyFunction, (movedQueues: string[]) => {
  const sent: OutgoingMessage[] = [];
  const ctx = notifyContext({
    now: new Date(),
    sender: { send: async (m) => void sent.push(m) },
    failed: ({ error }) => {
      throw error;
    },
  });
  return measured(async () => {
    const result = await notifyChanges(ctx, [
      { tenantId: f.tenantId, branchId: f.branchId, ticketIds: [], calls: [], movedQueues },
    ]);
    return { result, sent };
  });
});

describe('the message sender on one change', () => {
  it('reads the setup, the head of the moved line and its signed-up candidates; claims each message once', async () => {
    const first = await run([f.queues.G!.id]);
    // Positions 1 and 3 asked for email: two near messages.
    expect(first.result.result.map((s) => `${s.ticketId} ${s.event} ${s.channel}`)).toEqual(
      expect.arrayContaining([`${signedUp[0]} near email`, `${signedUp[1]} near email`]),
    );
    expect(first.result.result).toHaveLength(2);
    const commands = first.metrics.log().map((r) => `${r.command} ${r.targets.join(',')}`);
    expect(commands.filter((c) => c.startsWith('Query') && !c.includes('/'))).toHaveLength(1);
    expect(commands.filter((c) => c.startsWith('Query') && c.includes('/waiting'))).toHaveLength(1);
    expect(commands.filter((c) => c.startsWith('GetItem'))).toHaveLength(2);
    expect(commands.filter((c) => c.startsWith('PutItem'))).toHaveLength(2);
    expect(commands).toHaveLength(6);

    // The same change again (a retried batch): the claims are taken, nothing is sent.
    const again = await run([f.queues.G!.id]);
    expect(again.result.result).toEqual([]);
    expect(again.result.sent).toEqual([]);
    expect(again.metrics.log()).toHaveLength(6);
  });

  it('costs nothing when no queue moved and no ticket signed up was written', async () => {
    const { result, metrics } = await run([]);
    expect(result.result).toEqual([]);
    expect(metrics.log()).toEqual([]);
  });
});
