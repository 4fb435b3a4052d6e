import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { queueKey } from '#core/adapters/dynamo/items/queue';
import { dynamoSetupStore } from '#core/adapters/dynamo/setup-store';
import { dynamoTicketStore } from '#core/adapters/dynamo/ticket-store';
import type { Actor } from '#core/domain/actor';
import { DomainError } from '#core/domain/errors';
import { builtInRole } from '#core/domain/permissions';
import type { Ticket, TicketRecord } from '#core/domain/ticket';
import { board } from '#core/usecases/tickets/board';
import { callNext } from '#core/usecases/tickets/call-next';
import type { TicketContext } from '#core/usecases/tickets/context';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { getTicket, listTickets } from '#core/usecases/tickets/read-tickets';
import { reassign } from '#core/usecases/tickets/reassign';
import { applyTicketAction, transferTicket } from '#core/usecases/tickets/ticket-actions';
import { ticketContext } from '#functions/commons/context';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { positionSlack as slackOf, type WaitingTicket } from '#tests/support/brute-force-positions';
import { createTestEnv } from '#tests/support/env';
import {
  type Action,
  isRefusal,
  type ModelTicket,
  type QueueStatus,
  type Refusal,
  specBusinessDay,
  TicketModel,
} from '#tests/support/ticket-model';

/**
 * Random command sequences run against the real ticket use cases on DynamoDB Local and against
 * the reference model (tests/support/ticket-model.ts), with a clock we control (`now`), so
 * that aging and business-day changes happen within a run. Replay a failure with
 * FC_SEED=<seed> [FC_PATH=<path>]; FC_RUNS raises the number of runs.
 */

const MIN = 60_000;
const PREFIXES = ['A', 'B', 'C'];

beforeAll(async () => {
  await createTestEnv();
});

// ---- the generated scenario -------------------------------------------------------------------

const scenarioArb = fc.record({
  timezone: fc.constantFrom('Europe/Madrid', 'America/Bogota', 'Asia/Kolkata'),
  resetHour: fc.constantFrom(0, 3, 23),
  agingMinutes: fc.constantFrom<number>(0, 5),
  /** Runs start shortly before a business-day change (DST weekends of 2025 included). */
  around: fc.constantFrom('2025-03-29T12:00:00.000Z', '2025-10-25T12:00:00.000Z', '2025-06-10T12:00:00.000Z'),
  beforeChange: fc.integer({ min: 0, max: 150 * MIN }),
  ranks: fc.tuple(
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 1, max: 6 }),
  ),
  queues: fc.array(
    fc.record({
      priority: fc.nat(2),
      status: fc.constantFrom<QueueStatus>(
        'open',
        'open',
        'open',
        'open',
        'open',
        'open',
        'paused',
        'closed',
      ),
    }),
    { minLength: 2, maxLength: 3 },
  ),
  counters: fc.array(
    fc.record({ queues: fc.subarray([0, 1, 2], { minLength: 1 }), allowStealing: fc.boolean() }),
    { minLength: 2, maxLength: 3 },
  ),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

/** Which ticket a command acts on: an index into all tickets, the unfinished ones, or those at a counter. */
const pickArb = fc.record({
  pool: fc.constantFrom('any', 'active', 'active', 'atCounter', 'atCounter', 'atCounter'),
  index: fc.nat(1000),
});
type Pick = typeof pickArb extends fc.Arbitrary<infer P> ? P : never;

/** Reassign targets: mostly another queue (an offset from the source), sometimes the same one. */
const toArb = fc.constantFrom(1, 1, 1, 2, 2, 0);

const commandArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 1, max: 25 * MIN }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      queue: fc.nat(2),
      individual: fc.option(fc.nat(2), { freq: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('route' as const), priority: fc.nat(2) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('call' as const), counter: fc.nat(2) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      action: fc.constantFrom<Action>('start', 'complete', 'complete', 'no-show', 'recall', 'cancel'),
      ticket: pickArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      ticket: pickArb,
      queue: fc.nat(2),
      placement: fc.constantFrom<'keep' | 'back' | undefined>(undefined, 'keep', 'back'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reassign' as const),
      from: fc.nat(2),
      to: toArb,
      count: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reassignIds' as const),
      from: fc.nat(2),
      to: toArb,
      tickets: fc.array(fc.nat(1000), { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('balance' as const),
      queues: fc.subarray([0, 1, 2], { minLength: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('queueStatus' as const),
      queue: fc.nat(2),
      status: fc.constantFrom<QueueStatus>('open', 'open', 'open', 'paused', 'closed'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('check' as const) }) },
);
type Command = typeof commandArb extends fc.Arbitrary<infer C> ? C : never;

// ---- positions ------------------------------------------------------------------------------------

/** The slack of docs/decisions.md "Positions" (tests/support/brute-force-positions.ts), from the model. */
function positionSlack(model: TicketModel, ticketId: string): number {
  const t = model.tickets.get(ticketId)!;
  if (t.status !== 'waiting') return 0;
  const waiting = (x: ModelTicket): WaitingTicket => ({
    id: x.id,
    rank: model.rankOf(x),
    queuedAt: x.queuedAt,
    inserted: x.inserted,
  });
  return slackOf(model.waitingIn(t.queueId).map(waiting), waiting(t), model.now, model.rules.agingMinutes);
}

const approximations = { checked: 0, off: 0 };

/** Position exact (within the slack where there is some); the estimate follows from it. */
function expectStanding(
  model: TicketModel,
  ticketId: string,
  got: { position: number | null; estimatedWaitSeconds: number | null },
  what: string,
) {
  const want = model.standing(ticketId);
  const slack = positionSlack(model, ticketId);
  approximations.checked++;
  if (slack === 0 || want.position === null || got.position === null) {
    expect(got, what).toEqual(want);
    return;
  }
  if (got.position !== want.position) approximations.off++;
  expect(
    Math.abs(got.position - want.position),
    `${what}: ${got.position} vs ${want.position}`,
  ).toBeLessThanOrEqual(slack);
  expect(got.estimatedWaitSeconds, what).toBe(
    model.estimate(model.tickets.get(ticketId)!.queueId, got.position),
  );
}

// ---- running one scenario -----------------------------------------------------------------------

type Outcome<T> = { ok: T } | { status: number; message: string };

async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: await run() };
  } catch (error) {
    if (error instanceof DomainError) return { status: error.status, message: error.message };
    throw error;
  }
}

/** The first instant after `from` at which the business day changes (found minute by minute). */
function nextDayChange(from: number, timezone: string, resetHour: number): number {
  const day = specBusinessDay(from, { timezone, resetHour });
  let t = from - (from % MIN);
  while (specBusinessDay(t, { timezone, resetHour }) === day) t += MIN;
  return t;
}

const actorFor = (tenantId: string): Actor => ({
  tenantId,
  userId: ulid(),
  roleId: 'admin',
  permissions: builtInRole('admin')!.permissions,
  branches: ['*'],
});

const contextAt = (actor: Actor, now: Date): TicketContext =>
  ticketContext({
    actor,
    now,
  });

class Run {
  readonly log: string[] = [];
  private readonly actor: Actor;

  private constructor(
    readonly f: BranchFixture,
    readonly model: TicketModel,
    readonly queueIds: string[],
    readonly counterIds: string[],
    readonly priorityIds: string[],
  ) {
    this.actor = actorFor(f.tenantId);
  }

  static async start(s: Scenario): Promise<Run> {
    const queues = s.queues.map((q) => ({ ...q }));
    // Queue 0 is open, and the first two queues have different priorities.
    queues[0]!.status = 'open';
    if (queues[1]!.priority === queues[0]!.priority) queues[1]!.priority = (queues[0]!.priority + 1) % 3;
    const counters = s.counters.map((c) => ({
      queues: [...new Set(c.queues.map((q) => q % queues.length))],
      allowStealing: c.allowStealing,
    }));
    // Every queue is served by some counter (so every estimate is a number).
    queues.forEach((_, i) => {
      if (!counters.some((c) => c.queues.includes(i))) counters[i % counters.length]!.queues.push(i);
    });
    const f = await createBranchFixture({
      tenantId: ulid(),
      agingMinutes: s.agingMinutes,
      timezone: s.timezone,
      resetHour: s.resetHour,
      priorities: Object.fromEntries(s.ranks.map((rank, i) => [`P${i}`, { rank }])),
      queues: Object.fromEntries(
        queues.map((q, i) => [PREFIXES[i]!, { priority: `P${q.priority}`, status: q.status }]),
      ),
      counters: Object.fromEntries(
        counters.map((c, i) => [
          `K${i}`,
          { queues: c.queues.map((q) => PREFIXES[q]!), allowStealing: c.allowStealing },
        ]),
      ),
    });
    const priorityIds = s.ranks.map((_, i) => f.priorities[`P${i}`]!.id);
    const queueIds = queues.map((_, i) => f.queues[PREFIXES[i]!]!.id);
    const counterIds = counters.map((_, i) => f.counters[`K${i}`]!);
    const start = nextDayChange(Date.parse(s.around), s.timezone, s.resetHour) - s.beforeChange;
    const model = new TicketModel(
      { timezone: s.timezone, resetHour: s.resetHour, agingMinutes: s.agingMinutes },
      start,
      {
        priorities: s.ranks.map((rank, i) => ({ id: priorityIds[i]!, rank })),
        queues: queues.map((q, i) => ({
          id: queueIds[i]!,
          prefix: PREFIXES[i]!,
          priorityId: priorityIds[q.priority]!,
          order: i,
          status: q.status,
        })),
        counters: counters.map((c, i) => ({
          id: counterIds[i]!,
          queueIds: c.queues.map((q) => queueIds[q]!),
          allowStealing: c.allowStealing,
        })),
      },
    );
    const run = new Run(f, model, queueIds, counterIds, priorityIds);
    run.log.push(
      `scenario ${JSON.stringify({ ...s, queues, counters, start: new Date(start).toISOString() })}`,
    );
    return run;
  }

  ctx(): TicketContext {
    return contextAt(this.actor, new Date(this.model.now));
  }

  private pick(p: Pick): ModelTicket | undefined {
    const all = [...this.model.tickets.values()];
    const pool =
      p.pool === 'active'
        ? all.filter((t) => ['waiting', 'called', 'serving'].includes(t.status))
        : p.pool === 'atCounter'
          ? all.filter((t) => t.status === 'called' || t.status === 'serving')
          : all;
    const from = pool.length > 0 ? pool : all;
    return from.length > 0 ? from[p.index % from.length] : undefined;
  }

  private queue = (i: number) => this.queueIds[i % this.queueIds.length]!;

  /** Compares a refusal or a success of the system with what the model expects. */
  private expectOutcome<T>(
    outcome: Outcome<T>,
    expected: Refusal | object,
    what: string,
  ): outcome is { ok: T } {
    if (isRefusal(expected)) {
      expect(
        'status' in outcome ? outcome.status : 'success',
        `${what}: model refuses (${expected.why})`,
      ).toBe(expected.refused);
      return false;
    }
    if ('status' in outcome)
      throw new Error(`${what}: the system refused (${outcome.status} ${outcome.message})`);
    return true;
  }

  async execute(c: Command): Promise<void> {
    const { model } = this;
    const ctx = this.ctx();
    const branchId = this.f.branchId;
    switch (c.kind) {
      case 'advance': {
        model.now += c.ms;
        this.log.push(`advance ${c.ms} ms → ${new Date(model.now).toISOString()}`);
        return;
      }
      case 'enqueue':
      case 'route': {
        const input =
          c.kind === 'enqueue'
            ? {
                queueId: this.queue(c.queue),
                ...(c.individual !== null && { priorityId: this.priorityIds[c.individual]! }),
              }
            : { priorityId: this.priorityIds[c.priority]! };
        const outcome = await attempt(() => enqueue(ctx, { branchId, ...input }));
        const expected = model.enqueue(input, () => ('ok' in outcome ? outcome.ok.ticket.id : 'NONE'));
        const what = `${c.kind} ${JSON.stringify(input)}`;
        this.log.push(`${what} → ${'ok' in outcome ? outcome.ok.ticket.code : outcome.status}`);
        if (!this.expectOutcome(outcome, expected, what) || isRefusal(expected)) return;
        const { ticket, position, estimatedWaitSeconds } = outcome.ok;
        expect(
          {
            queueId: ticket.queueId,
            priorityId: ticket.priorityId,
            number: ticket.number,
            code: ticket.code,
            businessDay: ticket.businessDay,
            status: ticket.status,
            createdAt: ticket.createdAt,
            queuedAt: ticket.queuedAt,
          },
          what,
        ).toEqual({
          queueId: expected.ticket.queueId,
          priorityId: expected.ticket.priorityId,
          number: expected.ticket.number,
          code: expected.ticket.code,
          businessDay: expected.ticket.businessDay,
          status: 'waiting',
          createdAt: new Date(model.now).toISOString(),
          queuedAt: new Date(model.now).toISOString(),
        });
        expectStanding(model, expected.ticket.id, { position, estimatedWaitSeconds }, what);
        return;
      }
      case 'call': {
        const counterId = this.counterIds[c.counter % this.counterIds.length]!;
        const outcome = await attempt(() => callNext(ctx, { branchId, counterId }));
        const expected = model.callNext(counterId);
        const what = `call-next at counter ${c.counter % this.counterIds.length}`;
        this.log.push(`${what} → ${'ok' in outcome ? (outcome.ok?.code ?? '204') : outcome.status}`);
        if (!this.expectOutcome(outcome, expected, what) || isRefusal(expected)) return;
        expect(outcome.ok?.id ?? null, `${what}: which ticket`).toBe(expected.ticketId);
        if (outcome.ok) {
          expect(outcome.ok).toMatchObject({
            status: 'called',
            counterId,
            calledAt: new Date(model.now).toISOString(),
            servedBy: this.actor.userId,
          });
        }
        return;
      }
      case 'act': {
        const t = this.pick(c.ticket);
        if (!t) return;
        const outcome = await attempt(() =>
          applyTicketAction(ctx, { branchId, ticketId: t.id, action: c.action }),
        );
        const expected = model.act(t.id, c.action);
        const what = `${c.action} ${t.code} (${t.id})`;
        this.log.push(`${what} → ${'ok' in outcome ? outcome.ok.status : outcome.status}`);
        if (!this.expectOutcome(outcome, expected, what) || isRefusal(expected)) return;
        expect(outcome.ok.status, what).toBe(expected.status);
        return;
      }
      case 'transfer': {
        const t = this.pick(c.ticket);
        if (!t) return;
        const queueId = this.queue(c.queue);
        const before = { ...t };
        const outcome = await attempt(() =>
          transferTicket(ctx, {
            branchId,
            ticketId: t.id,
            queueId,
            ...(c.placement && { placement: c.placement }),
          }),
        );
        const expected = model.transfer(t.id, queueId, c.placement ?? 'keep');
        const what = `transfer ${t.code} (${t.id}, ${before.status}) to ${queueId} ${c.placement ?? ''}`;
        this.log.push(`${what} → ${'ok' in outcome ? outcome.ok.status : outcome.status}`);
        if (!this.expectOutcome(outcome, expected, what) || isRefusal(expected)) return;
        const after = model.tickets.get(t.id)!;
        expect(this.observed(outcome.ok), what).toEqual(this.expected(after));
        expect(outcome.ok.transfers.at(-1), what).toEqual({
          fromQueueId: before.queueId,
          toQueueId: queueId,
          at: new Date(model.now).toISOString(),
          by: this.actor.userId,
        });
        return;
      }
      case 'reassign':
      case 'reassignIds': {
        const fromQueueId = this.queue(c.from);
        const toQueueId = this.queue(c.from + c.to);
        let ticketIds: string[] | undefined;
        if (c.kind === 'reassignIds') {
          const all = [...model.tickets.keys()];
          if (all.length === 0) return;
          // Mostly tickets of the source queue, sometimes any (skipped unless waiting there).
          const inSource = all.filter((id) => model.tickets.get(id)!.queueId === fromQueueId);
          const pool = inSource.length > 0 && c.tickets[0]! % 4 !== 0 ? inSource : all;
          ticketIds = c.tickets.map((i) => pool[i % pool.length]!);
        }
        const count = c.kind === 'reassign' ? (c.count ?? undefined) : undefined;
        const input = ticketIds
          ? { fromQueueId, toQueueId, ticketIds }
          : { fromQueueId, toQueueId, ...(count !== undefined && { count }) };
        const outcome = await attempt(() => reassign(ctx, { ...input, branchId }));
        const expected = ticketIds
          ? model.reassignIds(fromQueueId, toQueueId, ticketIds)
          : model.reassignCount(fromQueueId, toQueueId, count);
        const what = `reassign ${JSON.stringify(input)}`;
        this.log.push(`${what} → ${'ok' in outcome ? JSON.stringify(outcome.ok.moved) : outcome.status}`);
        if (!this.expectOutcome(outcome, expected, what) || isRefusal(expected)) return;
        expect([...outcome.ok.moved].sort(), `${what}: moved`).toEqual([...expected.moved].sort());
        expect(outcome.ok.count, what).toBe(expected.moved.length);
        return;
      }
      case 'balance': {
        const queueIds = c.queues.map((i) => this.queue(i));
        const outcome = await attempt(() => reassign(ctx, { branchId, mode: 'balance', queueIds }));
        const moved = 'ok' in outcome ? outcome.ok.moved : [];
        const records = await Promise.all(moved.map((id) => dynamoTicketStore.get(this.f.tenantId, id)));
        const finalQueue = new Map(records.map((r) => [r!.id, r!.queueId]));
        const expected = model.balance(queueIds, moved, (id) => finalQueue.get(id)!);
        const what = `balance ${JSON.stringify(queueIds)}`;
        this.log.push(`${what} → ${'ok' in outcome ? JSON.stringify(moved) : outcome.status}`);
        if (!this.expectOutcome(outcome, expected, what) || isRefusal(expected)) return;
        expect(expected.problems, what).toEqual([]);
        expect(outcome.ok.count).toBe(moved.length);
        expect(new Set(moved).size, `${what}: a ticket moved twice`).toBe(moved.length);
        return;
      }
      case 'queueStatus': {
        const queueId = this.queue(c.queue);
        await dynamo().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: queueKey(this.f.tenantId, branchId, queueId),
            UpdateExpression: 'SET #s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': c.status },
          }),
        );
        model.setQueueStatus(queueId, c.status);
        this.log.push(`queue ${queueId} → ${c.status}`);
        return;
      }
      case 'check':
        await this.check();
        return;
    }
  }

  private observed(t: Ticket | TicketRecord) {
    return {
      id: t.id,
      status: t.status,
      queueId: t.queueId,
      priorityId: t.priorityId,
      counterId: t.counterId,
      number: t.number,
      code: t.code,
      businessDay: t.businessDay,
      createdAt: t.createdAt,
      queuedAt: t.queuedAt,
      calledAt: t.calledAt,
      startedAt: t.startedAt,
      recalls: t.recalls,
      transfers: t.transfers.length,
    };
  }

  private expected(t: ModelTicket) {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      id: t.id,
      status: t.status,
      queueId: t.queueId,
      priorityId: t.priorityId,
      counterId: t.counterId,
      number: t.number,
      code: t.code,
      businessDay: t.businessDay,
      createdAt: iso(t.createdAt),
      queuedAt: iso(t.queuedAt),
      calledAt: iso(t.calledAt),
      startedAt: iso(t.startedAt),
      recalls: t.recalls,
      transfers: t.transfers,
    };
  }

  /** Everything observable against the model, and the invariants. */
  async check(): Promise<void> {
    const { model, f } = this;
    const ctx = this.ctx();
    const tickets = [...model.tickets.values()];
    const [setup, records] = await Promise.all([
      dynamoSetupStore.load(f.tenantId, f.branchId),
      Promise.all(tickets.map((t) => dynamoTicketStore.get(f.tenantId, t.id))),
    ]);

    // Every ticket as the model has it (status, queue, counter, priority, number, times…).
    expect(
      records.map((r) => r && this.observed(r)),
      'tickets',
    ).toEqual(tickets.map((t) => this.expected(t)));

    // Live waiting counts per queue and rank; counters' current tickets.
    for (const q of setup.queues) {
      const live = [...q.live.waitingByRank].filter(([, n]) => n !== 0).sort((a, b) => a[0] - b[0]);
      const want = [...model.waitingByRank(q.id)].sort((a, b) => a[0] - b[0]);
      expect(live, `live waiting counts of ${q.prefix}`).toEqual(want);
    }
    expect(
      setup.counters.map((c) => [c.id, c.current?.ticketId ?? null]),
      'counters',
    ).toEqual(this.counterIds.map((id) => [id, model.counters.get(id)!.current]));

    // The waiting index holds each waiting ticket exactly once, in its queue × rank, and nothing else.
    const ranks = [...new Set([...model.priorities.values()].map((p) => p.rank))];
    const partitions = await Promise.all(
      this.queueIds.flatMap((queueId) =>
        ranks.map(async (rank) => ({
          queueId,
          rank,
          ids: (await dynamoTicketStore.waiting(f.tenantId, queueId, rank, {})).map((t) => t.id),
        })),
      ),
    );
    const indexed = partitions.flatMap((p) => p.ids.map((id) => `${p.queueId}/${p.rank}/${id}`)).sort();
    const waiting = tickets
      .filter((t) => t.status === 'waiting')
      .map((t) => `${t.queueId}/${model.rankOf(t)}/${t.id}`)
      .sort();
    expect(indexed, 'waiting index').toEqual(waiting);

    // Positions and estimates of waiting tickets (and none for the others).
    const standings = await Promise.all(
      tickets.map((t) => getTicket(ctx, { branchId: f.branchId, ticketId: t.id })),
    );
    for (const { ticket, position, estimatedWaitSeconds } of standings) {
      expectStanding(model, ticket.id, { position, estimatedWaitSeconds }, `position of ${ticket.code}`);
    }

    // The board: per queue the waiting count, the queue's estimate and the next 5 codes in
    // call order; per counter the code and status of its current ticket.
    const b = (await board(ctx, { branchId: f.branchId })).board!;
    expect(
      b.queues.map((q) => ({
        id: q.id,
        waiting: q.waiting,
        estimatedWaitSeconds: q.estimatedWaitSeconds,
        next: q.next,
      })),
      'board queues',
    ).toEqual(
      this.queueIds.map((id) => {
        const waitingHere = model.waitingIn(id);
        return {
          id,
          waiting: waitingHere.length,
          estimatedWaitSeconds: model.estimate(id, waitingHere.length + 1),
          next: waitingHere.slice(0, 5).map((t) => t.code),
        };
      }),
    );
    expect(
      b.counters.map((c) => [c.id, c.current && { code: c.current.code, status: c.current.status }]),
      'board counters',
    ).toEqual(
      this.counterIds.map((id) => {
        const current = model.counters.get(id)!.current;
        const t = current ? model.tickets.get(current)! : null;
        return [id, t && { code: t.code, status: t.status }];
      }),
    );

    // Listing by business day: every ticket exactly once, nothing lost or duplicated.
    const days = [...new Set(tickets.map((t) => t.businessDay))];
    for (const day of days) {
      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listTickets(ctx, { branchId: f.branchId, businessDay: day, limit: 100, cursor });
        listed.push(...page.items.map((t) => `${t.id}:${t.status}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(listed.sort(), `tickets of ${day}`).toEqual(
        tickets
          .filter((t) => t.businessDay === day)
          .map((t) => `${t.id}:${t.status}`)
          .sort(),
      );
    }

    expect(model.numberingProblems(), 'numbering').toEqual([]);
    expect(model.counterProblems(), 'counters in the model').toEqual([]);
  }
}

const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
const numRuns = Number(process.env.FC_RUNS ?? 15);

/**
 * Runs random scenarios and command sequences against the model; on failure, prints the log of
 * the smallest failing run seen (shrinking replays smaller and smaller ones) and how to replay it.
 */
async function assertAgainstModel(
  what: string,
  scenarios: fc.Arbitrary<Scenario>,
  commands: fc.Arbitrary<Command[]>,
): Promise<void> {
  let failedLog: string[] = [];
  try {
    await fc.assert(
      fc.asyncProperty(scenarios, commands, async (s, cs) => {
        const run = await Run.start(s);
        try {
          for (const c of cs) await run.execute(c);
          await run.check();
        } catch (error) {
          failedLog = run.log;
          throw error;
        }
      }),
      {
        seed,
        numRuns,
        ...(process.env.FC_PATH && { path: process.env.FC_PATH }),
        // Shrinking replays whole runs against the database: keep it bounded.
        interruptAfterTimeLimit: 240_000,
        markInterruptAsFailure: false,
      },
    );
  } catch (error) {
    console.error(`${what} failed — replay with FC_SEED=${seed}\n${failedLog.join('\n')}`);
    throw error;
  }
}

describe('random ticket operations keep the queue invariants (model-based, DynamoDB Local)', () => {
  it(`matches the reference model (seed ${seed})`, { timeout: 600_000 }, () =>
    assertAgainstModel(
      'tickets-property',
      scenarioArb,
      fc.array(commandArb, { minLength: 10, maxLength: 40, size: 'max' }),
    ),
  );
});

/**
 * Positions against the brute-force count, where they are hardest: three ranks in play through
 * individual priorities, aging of 1 or 5 minutes, a clock moving seconds at a time (so aging cuts
 * fall among tickets), and every way a ticket leaves or enters a line — call, cancel, transfer
 * keeping its place or at the back, reassign, balance.
 */
const positionScenarioArb = scenarioArb.map((s) => ({
  ...s,
  agingMinutes: s.agingMinutes === 0 ? 1 : 5,
  ranks: [1, 2, 3] as [number, number, number],
}));
const positionCommandArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 150_000 }) }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      queue: fc.nat(1),
      individual: fc.option(fc.nat(2), { freq: 2 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('call' as const), counter: fc.nat(2) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      action: fc.constantFrom<Action>('complete', 'cancel', 'cancel'),
      ticket: pickArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      ticket: pickArb,
      queue: fc.nat(1),
      placement: fc.constantFrom<'keep' | 'back' | undefined>(undefined, 'keep', 'back'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reassign' as const),
      from: fc.nat(1),
      to: fc.constant(1),
      count: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('balance' as const), queues: fc.constant([0, 1]) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('check' as const) }) },
);

describe('positions equal a brute-force count (model-based, DynamoDB Local)', () => {
  it(`under aging, several ranks and every kind of move (seed ${seed})`, { timeout: 600_000 }, async () => {
    await assertAgainstModel(
      'positions property',
      positionScenarioArb,
      fc.array(positionCommandArb as fc.Arbitrary<Command>, { minLength: 15, maxLength: 45, size: 'max' }),
    );
    console.log(
      `positions checked: ${approximations.checked}; off the brute-force count (within the slack): ${approximations.off}`,
    );
  });
});

describe('regressions found by the model', () => {
  it('tickets issued in the same millisecond keep issue order: ids, positions and calls', async () => {
    const f = await createBranchFixture({});
    const ctx = contextAt(actorFor(f.tenantId), new Date('2025-06-10T10:00:00.000Z'));
    const queueId = f.queues.G!.id;
    const issued: Awaited<ReturnType<typeof enqueue>>[] = [];
    for (let i = 0; i < 12; i++) issued.push(await enqueue(ctx, { branchId: f.branchId, queueId }));
    const ids = issued.map((t) => t.ticket.id);
    expect([...ids].sort()).toEqual(ids);
    expect(issued.map((t) => t.position)).toEqual(issued.map((_, i) => i + 1));
    expect((await getTicket(ctx, { branchId: f.branchId, ticketId: ids[5]! })).position).toBe(6);
    const first = await callNext(ctx, { branchId: f.branchId, counterId: f.counters['Counter 1']! });
    expect(first!.id).toBe(ids[0]);
  });

  it('reassign from a closed queue to itself is a 400 (validation), not a 409 (state)', async () => {
    const f = await createBranchFixture({ queues: { A: { priority: 'General', status: 'closed' } } });
    const ctx = contextAt(actorFor(f.tenantId), new Date('2025-06-10T10:00:00.000Z'));
    const outcome = await attempt(() =>
      reassign(ctx, { branchId: f.branchId, fromQueueId: f.queues.A!.id, toQueueId: f.queues.A!.id }),
    );
    expect('status' in outcome && outcome.status).toBe(400);
  });

  it('reassign with a ticket id given twice moves it once instead of answering 400', async () => {
    const f = await createBranchFixture({
      queues: { A: { priority: 'General' }, B: { priority: 'General' } },
    });
    const ctx = contextAt(actorFor(f.tenantId), new Date('2025-06-10T10:00:00.000Z'));
    const a = await enqueue(ctx, { branchId: f.branchId, queueId: f.queues.A!.id });
    const b = await enqueue(ctx, { branchId: f.branchId, queueId: f.queues.A!.id });
    const result = await reassign(ctx, {
      branchId: f.branchId,
      fromQueueId: f.queues.A!.id,
      toQueueId: f.queues.B!.id,
      ticketIds: [a.ticket.id, a.ticket.id, b.ticket.id],
    });
    expect([...result.moved].sort()).toEqual([a.ticket.id, b.ticket.id].sort());
    expect(result.count).toBe(2);
  });
});
