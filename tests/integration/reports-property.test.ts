import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { aggregatePartition } from '#core/adapters/dynamo/items/aggregate';
import { userKey } from '#core/adapters/dynamo/items/user';
import { dynamoTicketStore } from '#core/adapters/dynamo/ticket-store';
import type { Actor } from '#core/domain/actor';
import { addDays, zonedInstant } from '#core/domain/business-day';
import { DomainError } from '#core/domain/errors';
import { builtInRole } from '#core/domain/permissions';
import { GROUP_BYS, type GroupBy, hourLabel, STAT_FIELDS, type Stats } from '#core/domain/report';
import { secondsBetween } from '#core/domain/report-stats';
import { TERMINAL, type TicketRecord } from '#core/domain/ticket';
import { expireChange } from '#core/domain/ticket-changes';
import { callNext } from '#core/usecases/tickets/call-next';
import type { TicketContext } from '#core/usecases/tickets/context';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { applyTicketAction, type SimpleAction, transferTicket } from '#core/usecases/tickets/ticket-actions';
import { ticketContext } from '#functions/commons/context';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { parseCsv } from '#tests/support/csv';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/**
 * Reports against brute force: random business days of activity run through the REAL ticket
 * use cases (controlled clock, 2–3 queues and counters, 2 agents, days closed by expiring what
 * is left, as the day close does), then every groupBy of the report is compared with figures
 * recomputed from the stored tickets by the attribution rules of core/domain/report-stats.ts.
 * Counts and averages exact (to 0.01), max exact, p90 within max(30 s, 10 %); the CSV reads
 * back to the JSON numbers; rolling each day up into one item (as the day close does) changes
 * nothing.
 */

const TZ = 'Europe/Madrid';
const FIRST_DAY = '2026-05-04';
const QUEUES = ['A', 'B', 'C'] as const;
const COUNTERS = ['Desk 1', 'Desk 2', 'Desk 3'] as const;
const ACTIONS: SimpleAction[] = ['start', 'complete', 'complete', 'no-show', 'recall', 'cancel'];

type Command =
  | { kind: 'enqueue'; queue: number; individual: number | null }
  | { kind: 'call'; counter: number; agent: number }
  | { kind: 'act'; action: SimpleAction; pick: number; atCounter: boolean }
  | { kind: 'transfer'; pick: number; queue: number; placement: 'keep' | 'back' }
  | { kind: 'wait'; seconds: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      queue: fc.nat(2),
      individual: fc.option(fc.nat(2), { freq: 4 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('call' as const), counter: fc.nat(2), agent: fc.nat(1) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      action: fc.constantFrom(...ACTIONS),
      pick: fc.nat(),
      // Mostly a ticket that is at a counter (so counters get free again), sometimes any ticket.
      atCounter: fc.boolean().map((b) => b || Math.random() < 0.6),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      pick: fc.nat(),
      queue: fc.nat(2),
      placement: fc.constantFrom('keep' as const, 'back' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 1200 }) }),
  },
);

const scenario = fc.record({
  queues: fc.integer({ min: 2, max: 3 }),
  counters: fc.integer({ min: 2, max: 3 }),
  /**
   * 2–3 business days from 08:00; each command happens 0–4 minutes after the previous one, a
   * wait adds up to 20 minutes: at most 35 × 24 min, so a day never runs past its reset hour.
   */
  days: fc.array(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 240 }), command), { minLength: 15, maxLength: 35 }),
    {
      minLength: 2,
      maxLength: 3,
    },
  ),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

interface Run {
  f: BranchFixture;
  agents: [string, string];
  days: string[];
  ticketIds: string[];
}

/** Drives one scenario through the use cases; returns what the checks need. */
async function drive(s: Scenario): Promise<Run> {
  const queues = Object.fromEntries(
    QUEUES.slice(0, s.queues).map((q, i) => [q, { priority: ['Urgent', 'Normal', 'Later'][i]! }]),
  );
  const own: string[][] = [['A'], ['B', 'C'], ['A', 'B', 'C']];
  const counters = Object.fromEntries(
    COUNTERS.slice(0, s.counters).map((c, i) => [
      c,
      { queues: own[i]!.filter((q) => q in queues), allowStealing: i !== 0 },
    ]),
  );
  const f = await createBranchFixture({
    timezone: TZ,
    resetHour: 3,
    agingMinutes: 10,
    priorities: {
      Urgent: { rank: 1, targetWaitMinutes: 2 },
      Normal: { rank: 3, targetWaitMinutes: 5 },
      Later: { rank: 5, targetWaitMinutes: 10 },
    },
    queues,
    counters,
  });
  const agents: [string, string] = [ulid(), ulid()];
  // One agent has a user item (labelled by fullName), the other not (labelled by id).
  await dynamo().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...userKey(f.tenantId, agents[0]), type: 'user', id: agents[0], fullName: 'Agent, "One"' },
    }),
  );
  const priorityIds = Object.values(f.priorities).map((p) => p.id);
  const queueIds = Object.values(f.queues).map((q) => q.id);
  const counterIds = Object.values(f.counters);
  const actor = (userId: string): Actor => ({
    tenantId: f.tenantId,
    userId,
    roleId: 'agent',
    permissions: builtInRole('agent')!.permissions,
    branches: ['*'],
  });
  let now = zonedInstant(FIRST_DAY, 8, TZ);
  const ctx = (agent = 0): TicketContext =>
    ticketContext({
      actor: actor(agents[agent]!),
      now,
    });
  const ticketIds: string[] = [];
  /** Last known status of each ticket, from what the use cases returned. */
  const status = new Map<string, string>();
  const seen = (t: { id: string; status: string } | null) => {
    if (t) status.set(t.id, t.status);
  };
  const pick = (n: number, atCounter = false) => {
    const ids = atCounter
      ? ticketIds.filter((id) => ['called', 'serving'].includes(status.get(id)!))
      : ticketIds;
    return ids.length > 0 ? ids[n % ids.length] : undefined;
  };
  /** Only state-machine refusals (409) are expected; anything else fails the test. */
  const tolerate = async (op: () => Promise<unknown>) => {
    try {
      await op();
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 409) throw error;
    }
  };

  for (const [day, commands] of s.days.entries()) {
    now = zonedInstant(addDays(FIRST_DAY, day), 8, TZ);
    for (const [gap, c] of commands) {
      now = new Date(now.getTime() + (gap + 1) * 1000);
      switch (c.kind) {
        case 'enqueue': {
          const queueId = queueIds[c.queue % queueIds.length]!;
          const priorityId = c.individual === null ? undefined : priorityIds[c.individual];
          await tolerate(async () => {
            const { ticket } = await enqueue(ctx(), { branchId: f.branchId, queueId, priorityId });
            ticketIds.push(ticket.id);
            seen(ticket);
          });
          break;
        }
        case 'call':
          await tolerate(async () =>
            seen(
              await callNext(ctx(c.agent), {
                branchId: f.branchId,
                counterId: counterIds[c.counter % counterIds.length]!,
              }),
            ),
          );
          break;
        case 'act': {
          const id = pick(c.pick, c.atCounter);
          if (id)
            await tolerate(async () =>
              seen(await applyTicketAction(ctx(), { branchId: f.branchId, ticketId: id, action: c.action })),
            );
          break;
        }
        case 'transfer': {
          const id = pick(c.pick);
          const queueId = queueIds[c.queue % queueIds.length]!;
          if (id)
            await tolerate(async () =>
              seen(
                await transferTicket(ctx(), {
                  branchId: f.branchId,
                  ticketId: id,
                  queueId,
                  placement: c.placement,
                }),
              ),
            );
          break;
        }
        case 'wait':
          now = new Date(now.getTime() + c.seconds * 1000);
          break;
      }
    }
    if (day === s.days.length - 1) break;
    // Close the day as the day close does: what waits or is called expires, what is served is done.
    for (const id of ticketIds) {
      const t = await dynamoTicketStore.get(f.tenantId, id);
      if (!t || TERMINAL.has(t.status)) continue;
      const change = expireChange(t, now, 24);
      await dynamoTicketStore.apply(f.tenantId, change);
      seen(change.ticket);
    }
  }
  const days = s.days.map((_, i) => addDays(FIRST_DAY, i));
  return { f, agents, days, ticketIds } satisfies Run;
}

// ---- Brute force

interface Acc {
  iss: number;
  srv: number;
  nos: number;
  can: number;
  exp: number;
  waits: number[];
  within: number;
  services: number[];
}
const emptyAcc = (): Acc => ({ iss: 0, srv: 0, nos: 0, can: 0, exp: 0, waits: [], within: 0, services: [] });

interface Dims {
  queue: string;
  priority: string;
  hour: string;
  counter?: string | null;
  agent?: string | null;
}

/** Totals and groups recomputed from the stored tickets, by the attribution rules of report-stats.ts. */
function bruteForce(tickets: TicketRecord[], groupBy: GroupBy) {
  const totals = emptyAcc();
  const groups = new Map<string, Acc>();
  const groupsOf = (t: TicketRecord, d: Dims): Acc[] => {
    const key = groupBy === 'day' ? t.businessDay : d[groupBy];
    if (!key) return [];
    let acc = groups.get(key);
    if (!acc) {
      acc = emptyAcc();
      groups.set(key, acc);
    }
    return [acc];
  };
  const everywhere = (t: TicketRecord, d: Dims) => [totals, ...groupsOf(t, d)];
  for (const t of tickets) {
    // Issued to the queue, priority and hour of issue.
    for (const a of everywhere(t, { queue: t.issuedQueueId, priority: t.issuedPriorityId, hour: t.hour }))
      a.iss++;
    // The wait, at the first call, to that call's queue, priority, counter and agent.
    const fc1 = t.firstCall;
    if (fc1) {
      const d: Dims = {
        queue: fc1.queueId,
        priority: fc1.priorityId,
        hour: t.hour,
        counter: fc1.counterId,
        agent: fc1.agentId,
      };
      for (const a of everywhere(t, d)) {
        a.waits.push(fc1.waitSeconds);
        if (fc1.withinTarget) a.within++;
      }
      expect(fc1.waitSeconds).toBe(secondsBetween(t.createdAt, fc1.at));
      // Counters and agents count the tickets they called first as their `issued`.
      if (groupBy === 'counter' || groupBy === 'agent') for (const a of groupsOf(t, d)) a.iss++;
    }
    // The outcome where the ticket ended (with its counter and agent when it was at one).
    const d: Dims = {
      queue: t.queueId,
      priority: t.priorityId,
      hour: t.hour,
      counter: t.counterId,
      agent: t.servedBy,
    };
    for (const a of TERMINAL.has(t.status) ? everywhere(t, d) : []) {
      if (t.status === 'done') {
        a.srv++;
        a.services.push(secondsBetween(t.startedAt ?? t.calledAt!, t.endedAt!));
      } else if (t.status === 'no_show') a.nos++;
      else if (t.status === 'cancelled') a.can++;
      else if (t.status === 'expired') a.exp++;
    }
  }
  return { totals, groups };
}

const nearestRankP90 = (waits: number[]) =>
  [...waits].sort((a, b) => a - b)[Math.ceil(0.9 * waits.length) - 1]!;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function expectStats(actual: Stats, acc: Acc, what: string) {
  expect(
    [actual.issued, actual.served, actual.noShow, actual.cancelled, actual.expired],
    `${what} counts`,
  ).toEqual([acc.iss, acc.srv, acc.nos, acc.can, acc.exp]);
  if (acc.waits.length === 0) {
    expect(
      [actual.avgWaitSeconds, actual.p90WaitSeconds, actual.maxWaitSeconds, actual.withinTargetPct],
      what,
    ).toEqual([null, null, null, null]);
  } else {
    expect(Math.abs(actual.avgWaitSeconds! - mean(acc.waits)), `${what} avg wait`).toBeLessThanOrEqual(0.01);
    expect(actual.maxWaitSeconds, `${what} max wait`).toBe(Math.max(...acc.waits));
    const exact = nearestRankP90(acc.waits);
    expect(
      Math.abs(actual.p90WaitSeconds! - exact),
      `${what} p90 ${actual.p90WaitSeconds} vs ${exact}`,
    ).toBeLessThanOrEqual(Math.max(30, 0.1 * exact));
    expect(
      Math.abs(actual.withinTargetPct! - (acc.within / acc.waits.length) * 100),
      `${what} within target`,
    ).toBeLessThanOrEqual(0.01);
  }
  if (acc.services.length === 0) expect(actual.avgServiceSeconds, what).toBeNull();
  else
    expect(
      Math.abs(actual.avgServiceSeconds! - mean(acc.services)),
      `${what} avg service`,
    ).toBeLessThanOrEqual(0.01);
}

async function storedTickets(run: Run): Promise<TicketRecord[]> {
  const tickets: TicketRecord[] = [];
  for (const day of run.days) {
    let cursor: string | undefined;
    do {
      const page = await dynamoTicketStore.listByDay(
        run.f.tenantId,
        run.f.branchId,
        day,
        {},
        { limit: 100, cursor },
      );
      tickets.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  expect(new Set(tickets.map((t) => t.id))).toEqual(new Set(run.ticketIds));
  return tickets;
}

/** Replaces each day's aggregate items by one rollup `<day>#R#<id>`: counters summed, maxima maximised. */
async function rollUpEveryDay(run: Run) {
  const pk = aggregatePartition(run.f.tenantId, run.f.branchId);
  const { Items = [] } = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  const byDay = new Map<string, Record<string, number>>();
  for (const item of Items) {
    const day = (item.sk as string).slice(0, 10);
    const merged = byDay.get(day) ?? {};
    for (const [name, value] of Object.entries(item)) {
      if (!name.includes('|') || typeof value !== 'number') continue;
      merged[name] = name.startsWith('wMax|')
        ? Math.max(merged[name] ?? 0, value)
        : (merged[name] ?? 0) + value;
    }
    byDay.set(day, merged);
    await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: { pk, sk: item.sk } }));
  }
  for (const [day, merged] of byDay) {
    await dynamo().send(
      new PutCommand({ TableName: tableName(), Item: { pk, sk: `${day}#R#${ulid()}`, v: 1, ...merged } }),
    );
  }
}

describe('reports equal brute force over random days of real ticket activity', () => {
  it('matches for every groupBy, as JSON and CSV, before and after day rollups', {
    timeout: 600_000,
  }, async () => {
    let runs = 0;
    let ticketsSeen = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const run = await drive(s);
        const tickets = await storedTickets(run);
        ticketsSeen += tickets.length;
        runs++;
        const token = await mintToken(env.signingKey, { tenantId: run.f.tenantId, role: 'manager' });
        // One day of margin on each side: nothing may show up there.
        const from = addDays(run.days[0]!, -1);
        const to = addDays(run.days.at(-1)!, 1);
        const names = new Map<string, string>([
          ...Object.values(run.f.queues).map((q): [string, string] => [q.id, `Queue ${q.prefix}`]),
          ...Object.entries(run.f.counters).map(([name, id]): [string, string] => [id, name]),
          ...Object.entries(run.f.priorities).map(([name, p]): [string, string] => [p.id, name]),
          [run.agents[0], 'Agent, "One"'],
        ]);
        const get = (groupBy: GroupBy, format: 'json' | 'csv' = 'json') =>
          call('GET', `/v1/branches/${run.f.branchId}/report`, {
            token,
            query: { from, to, groupBy, format },
          });

        const before: Record<string, unknown> = {};
        for (const groupBy of GROUP_BYS) {
          const res = await get(groupBy);
          expect(res.status, res.text).toBe(200);
          before[groupBy] = res.body;
          const expected = bruteForce(tickets, groupBy);
          expectStats(res.body.totals, expected.totals, `${groupBy} totals`);
          const keys = [...expected.groups.keys()];
          expect(res.body.groups.map((g: any) => g.key).sort(), `${groupBy} keys`).toEqual(keys.sort());
          for (const g of res.body.groups) {
            expectStats(g, expected.groups.get(g.key)!, `${groupBy} ${g.key}`);
            const label =
              groupBy === 'day' ? g.key : groupBy === 'hour' ? hourLabel(g.key) : (names.get(g.key) ?? g.key);
            expect(g.label, `${groupBy} ${g.key} label`).toBe(label);
          }
          const order = [...res.body.groups].sort((a: any, b: any) =>
            groupBy === 'day' || groupBy === 'hour'
              ? a.key.localeCompare(b.key)
              : a.label.localeCompare(b.label) || a.key.localeCompare(b.key),
          );
          expect(
            res.body.groups.map((g: any) => g.key),
            `${groupBy} order`,
          ).toEqual(order.map((g: any) => g.key));

          const csv = await get(groupBy, 'csv');
          expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
          const rows = parseCsv(csv.text!);
          expect(rows[0]!.join(',')).toBe(`key,label,${STAT_FIELDS.join(',')}`);
          const jsonRows = [...res.body.groups, { key: 'total', label: 'Total', ...res.body.totals }];
          expect(rows.length - 1).toBe(jsonRows.length);
          jsonRows.forEach((j: any, i: number) => {
            const row = rows[i + 1]!;
            expect(row[0]).toBe(j.key);
            expect(row[1]).toBe(j.label);
            STAT_FIELDS.forEach((field, k) => {
              expect(row[k + 2] === '' ? null : Number(row[k + 2]), `${groupBy} csv ${j.key} ${field}`).toBe(
                j[field],
              );
            });
          });
        }

        await rollUpEveryDay(run);
        for (const groupBy of GROUP_BYS)
          expect((await get(groupBy)).body, `${groupBy} after rollup`).toEqual(before[groupBy]);
      }),
      { numRuns: 10, endOnFailure: true },
    );
    expect(runs).toBe(10);
    // The scenarios must actually exercise something.
    expect(ticketsSeen).toBeGreaterThan(50);
  });
});
