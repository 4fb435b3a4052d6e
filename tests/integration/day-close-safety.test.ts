import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { aggregatePartition } from '#core/adapters/dynamo/items/aggregate';
import { branchKey } from '#core/adapters/dynamo/items/branch';
import { dynamoSetupStore } from '#core/adapters/dynamo/setup-store';
import { addDays, businessDayEnd } from '#core/domain/business-day';
import { callNext } from '#core/usecases/tickets/call-next';
import type { TicketContext } from '#core/usecases/tickets/context';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { applyTicketAction } from '#core/usecases/tickets/ticket-actions';
import { ticketContext } from '#functions/commons/context';
import { logger } from '#functions/commons/logger';
import { handler as nightlyReset } from '#functions/nightly-reset';
import { batchPut } from '#tests/support/aggregates';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { conditionFailed, cutWritesAfter, type Fault, injectFault } from '#tests/support/fault-injection';
import { emfLinesOf, metricsOf } from '#tests/support/metrics';
import { mintToken } from '#tests/support/tokens';

/**
 * The day close under faults (docs/rules.md#day-close, crash safety and scale): cut off at any
 * write, answers lost, tickets that keep changing, branches that keep failing, long histories.
 */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

const faults: Fault[] = [];
afterEach(() => {
  for (const fault of faults.splice(0)) fault.remove();
  vi.restoreAllMocks();
});
const withFault = (fault: Fault) => {
  faults.push(fault);
  return fault;
};

const SHAPE = {
  priorities: { General: { rank: 3 }, Priority: { rank: 1 } },
  queues: { G: { priority: 'General' }, P: { priority: 'Priority' } },
  counters: { C1: { queues: ['G', 'P'] }, C2: { queues: ['G', 'P'] } },
};

const ctxOf = (f: BranchFixture, now = new Date()): TicketContext =>
  ticketContext({
    actor: { tenantId: f.tenantId, userId: ulid(), roleId: 'admin', permissions: [], branches: ['*'] },
    now,
  });

const issue = (f: BranchFixture, prefix: string, now?: Date) =>
  enqueue(ctxOf(f, now), { branchId: f.branchId, queueId: f.queues[prefix]!.id });

/** A branch in the middle of its day: 12 tickets issued, two called, one of them being served. */
async function busyBranch(now?: Date) {
  const f = await createBranchFixture({ ...SHAPE, ...(now && { now }) });
  for (let i = 0; i < 12; i++) await issue(f, i % 3 === 2 ? 'P' : 'G', now);
  const [c1, c2] = Object.values(f.counters) as [string, string];
  await callNext(ctxOf(f, now), { branchId: f.branchId, counterId: c1 });
  const serving = await callNext(ctxOf(f, now), { branchId: f.branchId, counterId: c2 });
  await applyTicketAction(ctxOf(f, now), { branchId: f.branchId, ticketId: serving!.id, action: 'start' });
  const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'manager' });
  return { f, token, base: `/v1/branches/${f.branchId}` };
}

const closeDay = (w: { token: string; base: string }, headers?: Record<string, string>) =>
  call('POST', `${w.base}/close-day`, { token: w.token, headers });

/** The branch's tickets as stored (a test table is small enough to scan). */
async function ticketsOf(f: BranchFixture) {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: '#type = :ticket AND branchId = :b',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':ticket': 'ticket', ':b': f.branchId },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Codes held by the waiting and called tickets of each queue. */
async function heldCodes(f: BranchFixture): Promise<Record<string, string[]>> {
  const held: Record<string, string[]> = {};
  for (const t of await ticketsOf(f)) {
    if (t.status !== 'waiting' && t.status !== 'called') continue;
    held[t.queueId] = [...(held[t.queueId] ?? []), t.code];
  }
  return held;
}

const unfinished = async (f: BranchFixture) =>
  (await ticketsOf(f)).filter((t) => ['waiting', 'called', 'serving'].includes(t.status));
const waitingOf = async (f: BranchFixture) => (await ticketsOf(f)).filter((t) => t.status === 'waiting');

describe('a manual close cut off part-way', () => {
  it('never leaves a code held twice, at any write it is cut after; the next close finishes it', async () => {
    // How many writes a whole close makes.
    const probe = await busyBranch();
    const counting = withFault(cutWritesAfter(Number.POSITIVE_INFINITY));
    expect((await closeDay(probe)).status).toBe(200);
    counting.remove();
    const writes = counting.attempts();
    expect(writes).toBeGreaterThanOrEqual(4);

    for (let k = 0; k < writes; k++) {
      const w = await busyBranch();
      const cut = withFault(cutWritesAfter(k));
      const res = await closeDay(w);
      cut.remove();
      // A close's write count varies a little (a transaction that lost a race is written again),
      // so a cut point past the end of this close cuts nothing: then it simply finished.
      expect(res.status, `cut after ${k} writes`).toBe(cut.injected() > 0 ? 500 : 200);
      // The day goes on: ten more customers.
      for (let i = 0; i < 10; i++) await issue(w.f, i % 2 ? 'P' : 'G');
      for (const [queueId, codes] of Object.entries(await heldCodes(w.f))) {
        expect(new Set(codes).size, `cut after ${k} writes, queue ${queueId}: ${codes.sort()}`).toBe(
          codes.length,
        );
      }
      // The next close finishes the job: nothing unfinished, numbering from 1.
      const next = await closeDay(w);
      expect(next.status, `cut after ${k} writes`).toBe(200);
      expect(await unfinished(w.f)).toEqual([]);
      expect((await issue(w.f, 'G')).ticket.code).toBe('G-001');
      expect((await issue(w.f, 'P')).ticket.code).toBe('P-001');
    }
  }, 300_000);

  it('answers 200, not a failure, when the answer of the write that finishes the close is lost', async () => {
    const w = await busyBranch();
    // The write reaches DynamoDB; what comes back is an error (a dropped connection).
    let lost = 0;
    dynamo().middlewareStack.add(
      (next, context) => async (args: any) => {
        const result = await next(args);
        const input = JSON.stringify(args.input);
        if (
          /Transact|UpdateItem/.test(context.commandName ?? '') &&
          /closeEpoch/.test(input) &&
          /:next/.test(input)
        ) {
          lost++;
          throw Object.assign(new Error('socket hang up'), { name: 'ConnectionReset' });
        }
        return result;
      },
      { step: 'initialize', name: 'lose-close-answer' },
    );
    faults.push({
      attempts: () => lost,
      injected: () => lost,
      remove: () => dynamo().middlewareStack.remove('lose-close-answer'),
    });
    const res = await closeDay(w);
    expect(lost).toBe(1);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expired: 11 });
    expect(await unfinished(w.f)).toEqual([]);
    expect((await issue(w.f, 'G')).ticket.code).toBe('G-001');
  });
});

describe('ending tickets that keep changing', () => {
  /**
   * The transaction that expires a ticket (alone or with others) meets it changed, `times` times.
   */
  const ticketKeepsChanging = (ticketId: string, times: number) => {
    const at = (input: Record<string, any>): number =>
      (input.TransactItems ?? []).findIndex(
        (i: any) => i.Put?.Item?.id?.S === ticketId && i.Put.Item.status?.S === 'expired',
      );
    return withFault(
      injectFault({
        command: 'TransactWriteItems',
        times,
        when: (input) => at(input) >= 0,
        error: (input) => conditionFailed(input, at(input)),
      }),
    );
  };

  it('a manual close ends a ticket that lost 8 races, and answers 200', async () => {
    const w = await busyBranch();
    const [victim] = await waitingOf(w.f);
    const fault = ticketKeepsChanging(victim!.id, 8);
    const res = await closeDay(w);
    expect(fault.injected()).toBe(8);
    expect(res.status).toBe(200);
    expect(await unfinished(w.f)).toEqual([]);
  });

  it('the nightly close ends it too; one that never stops changing fails the branch loudly, never closed with it open', async () => {
    const day = new Date('2026-10-06T09:00:00Z');
    const due = businessDayEnd('2026-10-06', 'Europe/Madrid', 3);
    const w = await busyBranch(day);
    const [first, second] = await waitingOf(w.f);
    const fault = ticketKeepsChanging(first!.id, 8);
    const stuck = ticketKeepsChanging(second!.id, Number.POSITIVE_INFINITY);
    const failed = vi.spyOn(logger, 'error');
    const run = await nightlyReset({ at: due.toISOString() });
    expect(fault.injected()).toBe(8);
    expect(run.failed).toBe(1);
    expect(failed).toHaveBeenCalledWith(
      'day close failed',
      expect.objectContaining({ branchId: w.f.branchId }),
    );
    expect((await unfinished(w.f)).map((t) => t.id)).toEqual([second!.id]);
    // Not recorded as closed: the next hourly run tries again, and closes it.
    expect(await lastClosedDay(w.f)).toBeNull();
    stuck.remove();
    const next = await nightlyReset({ at: new Date(due.getTime() + 3_600_000).toISOString() });
    expect(next.branches.find((b) => b.branchId === w.f.branchId)).toMatchObject({
      closedThrough: '2026-10-06',
    });
    expect(await unfinished(w.f)).toEqual([]);
  });
});

async function lastClosedDay(f: BranchFixture) {
  const setup = await dynamoSetupStore.load(f.tenantId, f.branchId);
  return setup.branch.lastClosedDay;
}

describe('the hourly job isolates branches', () => {
  it('closes every healthy branch of both tenants while one fails; logs and counts it; the next run closes it', async () => {
    const day = new Date('2026-09-14T09:00:00Z');
    const due = businessDayEnd('2026-09-14', 'Europe/Madrid', 3);
    const tenantA = ulid();
    const tenantB = ulid();
    const fixture = async (tenantId: string) => {
      const f = await createBranchFixture({ ...SHAPE, tenantId, now: day });
      await issue(f, 'G', day);
      await issue(f, 'P', day);
      return f;
    };
    // The failing branch sorts first in the due index (its tenant id is the smallest).
    const failing = await fixture(tenantA);
    const healthy = [await fixture(tenantA), await fixture(tenantB), await fixture(tenantB)];
    withFault(
      injectFault({
        command: 'TransactWriteItems',
        times: Number.POSITIVE_INFINITY,
        when: (input) => JSON.stringify(input).includes(failing.branchId),
        error: () => Object.assign(new Error('Internal failure'), { name: 'InternalFailure' }),
      }),
    );
    const errors = vi.spyOn(logger, 'error');

    const { result: run, lines } = await emfLinesOf(() => nightlyReset({ at: due.toISOString() }));

    const closed = new Set(run.branches.map((b) => b.branchId));
    for (const f of healthy) {
      expect(closed.has(f.branchId), f.branchId).toBe(true);
      expect(await unfinished(f)).toEqual([]);
    }
    expect(closed.has(failing.branchId)).toBe(false);
    expect(run.failed).toBe(1);
    // Logged once, and counted: the run's one Embedded Metric Format line, from which CloudWatch
    // counts DayCloseFailed (and the closes done).
    const failures = errors.mock.calls.filter(([message]) => message === 'day close failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]![1]).toMatchObject({
      tenantId: tenantA,
      branchId: failing.branchId,
      error: expect.objectContaining({ name: 'InternalFailure' }),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [{ Namespace: 'Queueline', Dimensions: [['service']] }],
      },
      service: 'queueline',
    });
    expect(metricsOf(lines[0]!)).toEqual({
      DayCloseDone: { unit: 'Count', value: 3 },
      DayCloseFailed: { unit: 'Count', value: 1 },
    });
    expect(await unfinished(failing)).toHaveLength(2);

    for (const fault of faults.splice(0)) fault.remove();
    const next = await nightlyReset({ at: new Date(due.getTime() + 3_600_000).toISOString() });
    expect(next.failed).toBe(0);
    expect(next.branches.map((b) => b.branchId)).toEqual([failing.branchId]);
    expect(await unfinished(failing)).toEqual([]);
  });
});

describe('the nightly close reads the day it closes, not the history', () => {
  it('costs the same requests and read units with 300 closed days behind it as with none', async () => {
    const measure = async (history: number, day: string) => {
      const f = await createBranchFixture({ ...SHAPE, now: new Date(`${day}T09:00:00Z`) });
      const pk = aggregatePartition(f.tenantId, f.branchId);
      const old = Array.from({ length: history }, (_, i) => addDays(day, -history + i));
      // Rolled-up days, as the nightly close leaves them (figures of a few hundred tickets).
      await batchPut(
        old.map((d) => ({
          pk,
          sk: `${d}#R#${ulid()}`,
          'iss|t': 300,
          'srv|t': 250,
          'nos|t': 20,
          'exp|t': 30,
          'wN|t': 270,
          'wSum|t': 150_000,
          'wMax|t': 3_100,
          v: 1,
        })),
      );
      if (history > 0) {
        await dynamo().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: branchKey(f.tenantId, f.branchId),
            UpdateExpression: 'SET lastClosedDay = :d',
            ExpressionAttributeValues: { ':d': old.at(-1) },
          }),
        );
      }
      // The day itself: the same two tickets, served and expired, in both branches.
      const at = new Date(`${day}T10:00:00Z`);
      await issue(f, 'G', at);
      await issue(f, 'G', at);
      const called = await callNext(ctxOf(f, at), { branchId: f.branchId, counterId: f.counters.C1! });
      await applyTicketAction(ctxOf(f, at), {
        branchId: f.branchId,
        ticketId: called!.id,
        action: 'complete',
      });
      const metrics = measureDynamo();
      try {
        const run = await nightlyReset({ at: businessDayEnd(day, 'Europe/Madrid', 3).toISOString() });
        expect(run.branches.find((b) => b.branchId === f.branchId)).toMatchObject({ closedThrough: day });
      } finally {
        metrics.stop();
      }
      const reads = metrics.log().filter((e) => e.read !== undefined && e.read > 0);
      return { requests: metrics.requests(), read: metrics.capacity().read, reads: reads.length };
    };
    // Different days, the later first, so that each run finds only its own branch due.
    const withHistory = await measure(300, '2026-08-27');
    const without = await measure(0, '2026-08-20');
    expect(withHistory).toEqual(without);
  });
});
