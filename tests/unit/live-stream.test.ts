import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { BRANCH_SORT_KEY, branchPartition } from '#core/adapters/dynamo/items/branch';
import { ticketToItem } from '#core/adapters/dynamo/items/ticket';
import { branchChangesOf, type StreamRecord } from '#core/adapters/dynamo/stream';
import type { Actor } from '#core/domain/actor';
import { queuesMovedBy } from '#core/domain/live';
import type { Counter, Queue } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import { callChange, transferChange } from '#core/domain/ticket-changes';
import { T0, waitingRecord } from '#tests/support/ticket-record';

/**
 * The pure decoding of the table's change stream: which branches, tickets and waiting lines a
 * batch of records changed — with records as DynamoDB Streams delivers them (marshalled keys
 * and before/after images of the stored items).
 */

const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000);
const agent: Actor = {
  tenantId: 'TEN',
  userId: 'AGENT1',
  roleId: 'agent',
  permissions: ['tickets:serve'],
  branches: ['*'],
};
const queueA: Queue = {
  id: 'QA',
  branchId: 'B',
  name: 'Queue A',
  prefix: 'A',
  priorityId: 'PGEN',
  priorityRank: 3,
  targetWaitMinutes: 10,
  status: 'open',
  description: null,
  displayOrder: null,
  createdAt: T0,
  updatedAt: T0,
};
const queueB: Queue = { ...queueA, id: 'QB', prefix: 'B', name: 'Queue B' };
const counter: Counter = {
  id: 'C1',
  branchId: 'B',
  name: 'Counter 1',
  queueIds: ['QA'],
  allowStealing: true,
  current: null,
  recent: [],
  waitMax: {},
  revision: 1,
  createdAt: T0,
  updatedAt: T0,
};

const ticket = (extra: Partial<TicketRecord> = {}) => waitingRecord({ rev: 1, ...extra });

const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true });

/** The stream record of a ticket's write: before and after (either absent: insert, delete). */
function ticketRecord(
  before: TicketRecord | null,
  after: TicketRecord | null,
  tenantId = 'TEN',
): StreamRecord {
  const item = (t: TicketRecord) => ticketToItem(tenantId, t);
  const any = (after ?? before)!;
  const { pk, sk } = item(any);
  return {
    eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
    dynamodb: {
      Keys: image({ pk, sk }),
      ...(before && { OldImage: image(item(before)) }),
      ...(after && { NewImage: image(item(after)) }),
    },
  };
}

const keysOnly = (pk: string, sk: string): StreamRecord => ({
  eventName: 'MODIFY',
  dynamodb: { Keys: image({ pk, sk }), NewImage: image({ pk, sk, tenantId: 'TEN', branchId: 'B' }) },
});

describe('queuesMovedBy', () => {
  it('a ticket joining, leaving or changing queues moves the lines it joined or left', () => {
    const waiting = ticket();
    const called = { ...waiting, status: 'called' as const };
    expect(queuesMovedBy(undefined, waiting)).toEqual(['QA']);
    expect(queuesMovedBy(waiting, called)).toEqual(['QA']);
    expect(queuesMovedBy(waiting, undefined)).toEqual(['QA']);
    expect(queuesMovedBy(waiting, { ...waiting, queueId: 'QB' })).toEqual(['QA', 'QB']);
    expect(queuesMovedBy(called, { ...called, status: 'waiting', queueId: 'QB' })).toEqual(['QB']);
  });

  it('a change that leaves the line as it was moves nothing', () => {
    const called = { ...ticket(), status: 'called' as const };
    expect(queuesMovedBy(called, { ...called, status: 'serving' })).toEqual([]);
    expect(queuesMovedBy({ ...called, status: 'serving' }, { ...called, status: 'done' })).toEqual([]);
    const rewritten: TicketRecord = { ...ticket(), rev: 2 };
    expect(queuesMovedBy(ticket(), rewritten)).toEqual([]);
  });

  it('a waiting ticket sent to the back of its own line, or re-ranked in it, moves that line', () => {
    const waiting = ticket();
    const back = transferChange(
      waiting,
      { queue: queueA, placement: 'back', place: { entry: 40, inserted: false } },
      agent,
      at(300),
    ).ticket;
    expect(back.status).toBe('waiting');
    expect(back.queueId).toBe('QA');
    expect(queuesMovedBy(waiting, back)).toEqual(['QA']);
    expect(queuesMovedBy(waiting, { ...waiting, rank: 1 })).toEqual(['QA']);
  });
});

describe('branchChangesOf', () => {
  it('a call: one change of the ticket’s branch, the ticket’s move and token, its queue moved', () => {
    const waiting = ticket();
    const called = callChange(waiting, counter, agent, at(60)).ticket;
    const [change, ...rest] = branchChangesOf([ticketRecord(waiting, called)]);
    expect(rest).toEqual([]);
    expect(change).toEqual({
      tenantId: 'TEN',
      branchId: 'B',
      tickets: [
        {
          move: { id: 'TICKET1', code: waiting.code, status: 'called', queueId: 'QA', counterId: 'C1' },
          publicToken: waiting.publicToken,
        },
      ],
      movedQueues: ['QA'],
    });
  });

  it('the items of one transaction in a branch become one change; another tenant’s or branch’s stay apart', () => {
    const one = ticket();
    const two = ticket({ id: 'TICKET2', number: 8, place: { entry: 8, inserted: false } });
    const elsewhere = ticket({ id: 'TICKET3', branchId: 'B2' });
    const changes = branchChangesOf([
      ticketRecord(null, one),
      keysOnly(branchPartition('TEN', 'B'), 'A#QUEUE#QA'),
      ticketRecord(null, two),
      ticketRecord(null, elsewhere),
      ticketRecord(null, one, 'OTHER'),
    ]);
    expect(changes.map((c) => [c.tenantId, c.branchId, c.tickets.map((t) => t.move.id)])).toEqual([
      ['TEN', 'B', ['TICKET1', 'TICKET2']],
      ['TEN', 'B2', ['TICKET3']],
      ['OTHER', 'B', ['TICKET1']],
    ]);
  });

  it('a ticket written twice in a batch counts once, as last written', () => {
    const waiting = ticket();
    const called = callChange(waiting, counter, agent, at(60)).ticket;
    const serving = { ...called, status: 'serving' as const, rev: called.rev + 1 };
    const [change] = branchChangesOf([ticketRecord(waiting, called), ticketRecord(called, serving)]);
    expect(change!.tickets.map((t) => t.move.status)).toEqual(['serving']);
    expect(change!.movedQueues).toEqual(['QA']);
  });

  it('a deleted ticket is a move to "deleted", without a counter', () => {
    const called = callChange(ticket(), counter, agent, at(60)).ticket;
    const [change] = branchChangesOf([ticketRecord(called, null)]);
    expect(change!.tickets[0]!.move).toMatchObject({ status: 'deleted', counterId: null });
  });

  it('a setup write (branch, queue, counter) changes the branch with no ticket', () => {
    expect(branchChangesOf([keysOnly(branchPartition('TEN', 'B'), BRANCH_SORT_KEY)])).toEqual([
      { tenantId: 'TEN', branchId: 'B', tickets: [], movedQueues: [] },
    ]);
  });

  it('records of no screen change nothing: sessions, idempotency, other items, broken records', () => {
    expect(
      branchChangesOf([
        keysOnly('T#TEN#U#USER1', 'SESSION#abc'),
        keysOnly('T#TEN#IDEM#k', 'IDEM'),
        keysOnly(`${branchPartition('TEN', 'B')}#D#2025-06-02`, 'REPORT'),
        { eventName: 'MODIFY' },
        { dynamodb: { Keys: image({ pk: 1, sk: 'TICKET' }) } },
        {
          dynamodb: { Keys: image({ pk: 'T#TEN#K#X', sk: 'TICKET' }), NewImage: image({ tenantId: 'TEN' }) },
        },
      ]),
    ).toEqual([]);
  });

  it('a transfer to another queue moves both lines; a ticket moved to the back of its own line moves it', () => {
    const waiting = ticket();
    const moved = transferChange(
      waiting,
      { queue: queueB, placement: 'keep', place: { entry: 3, inserted: true } },
      agent,
      at(200),
    ).ticket;
    expect(branchChangesOf([ticketRecord(waiting, moved)])[0]!.movedQueues).toEqual(['QA', 'QB']);
    const back = transferChange(
      waiting,
      { queue: queueA, placement: 'back', place: { entry: 40, inserted: false } },
      agent,
      at(300),
    ).ticket;
    expect(branchChangesOf([ticketRecord(waiting, back)])[0]!.movedQueues).toEqual(['QA']);
  });
});
