import { describe, expect, it } from 'vitest';
import type { Actor } from '#core/domain/actor';
import { ConflictError } from '#core/domain/errors';
import { histogramFigure, waitBucket } from '#core/domain/report-stats';
import type { Counter, Queue } from '#core/domain/setup';
import { feedbackState, publicView, type TicketRecord } from '#core/domain/ticket';
import {
  actionChange,
  callChange,
  expireChange,
  feedbackChange,
  issueChange,
  transferChange,
} from '#core/domain/ticket-changes';
import { T0, waitingRecord } from '#tests/support/ticket-record';

const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

const agent: Actor = {
  tenantId: 'TEN',
  userId: 'AGENT1',
  roleId: 'agent',
  permissions: ['tickets:serve'],
  branches: ['*'],
};

const ticket = (extra: Partial<TicketRecord> = {}) => waitingRecord({ rev: 4, ...extra });

function counter(extra: Partial<Counter> = {}): Counter {
  return {
    id: 'C1',
    branchId: 'B',
    name: 'Counter 1',
    queueIds: ['QA'],
    allowStealing: true,
    current: null,
    recent: [],
    waitMax: {},
    revision: 12,
    createdAt: T0,
    updatedAt: T0,
    ...extra,
  };
}

const queueB: Queue = {
  id: 'QB',
  branchId: 'B',
  name: 'Queue B',
  prefix: 'B',
  priorityId: 'PPREF',
  priorityRank: 1,
  targetWaitMinutes: 5,
  status: 'open',
  description: null,
  displayOrder: null,
  createdAt: T0,
  updatedAt: T0,
};

/** A ticket moved in keeping its place, before the entry a lookup found after it. */
const INSERTED = { entry: 12, inserted: true };

const DIMS = ['t', 'q:QA', 'p:PGEN', 'h:10', 'c:C1', 'a:AGENT1'];

describe('issueChange', () => {
  it('adds the ticket to its queue × rank and counts it issued to queue, priority and hour', () => {
    const t = ticket({ issuedQueueId: 'QA', issuedPriorityId: 'PIND', priorityId: 'PIND' });
    const change = issueChange(t);
    expect(change.previous).toBeNull();
    expect(change.waiting).toEqual([
      {
        queueId: 'QA',
        rank: 3,
        delta: 1,
        place: { entry: 7, inserted: false },
        ticketId: 'TICKET1',
        key: `${T0}#TICKET1`,
        arrival: 'issue',
      },
    ]);
    expect(change.counter).toBeUndefined();
    expect(change.stats).toEqual([
      {
        scope: { kind: 'queue', queueId: 'QA' },
        day: '2025-06-02',
        add: { 'issued|t': 1, 'issued|q:QA': 1, 'issued|p:PIND': 1, 'issued|h:10': 1 },
      },
    ]);
  });
});

describe('callChange', () => {
  it('on a first call: status, counter claim, firstCall and the wait figures', () => {
    const t = ticket();
    const c = counter();
    const change = callChange(t, c, agent, at(400)); // waited 400 s, target 600 s
    expect(change.previous).toBe(t);
    expect(change.ticket).toMatchObject({
      status: 'called',
      calledAt: iso(400),
      startedAt: null,
      counterId: 'C1',
      servedBy: 'AGENT1',
      rev: 5,
      updatedAt: iso(400),
    });
    expect(change.ticket.firstCall).toEqual({
      at: iso(400),
      queueId: 'QA',
      priorityId: 'PGEN',
      counterId: 'C1',
      agentId: 'AGENT1',
      waitSeconds: 400,
      withinTarget: true,
    });
    expect(change.waiting).toMatchObject([{ queueId: 'QA', rank: 3, delta: -1 }]);
    expect(change.counter).toMatchObject({
      counterId: 'C1',
      expectTicketId: null,
      expectRevision: 12,
      current: { ticketId: 'TICKET1', code: 'A-007', status: 'called', calledAt: iso(400) },
      recent: [{ code: 'A-007', calledAt: iso(400) }],
    });
    expect(change.stats).toHaveLength(1);
    const [stat] = change.stats;
    expect(stat!.scope).toEqual({ kind: 'counter', counterId: 'C1' });
    expect(stat!.day).toBe('2025-06-02');
    const bucket = histogramFigure(waitBucket(400));
    const expected: Record<string, number> = { 'issued|c:C1': 1, 'issued|a:AGENT1': 1 };
    for (const d of DIMS) {
      expected[`waits|${d}`] = 1;
      expected[`waitSeconds|${d}`] = 400;
      expected[`waitsWithinTarget|${d}`] = 1;
      expected[`${bucket}|${d}`] = 1;
    }
    expect(stat!.add).toEqual(expected);
    expect(stat!.set).toEqual(Object.fromEntries(DIMS.map((d) => [`maxWait|${d}`, 400])));
    expect(change.counter!.waitMax).toEqual({ '2025-06-02': Object.fromEntries(DIMS.map((d) => [d, 400])) });
  });

  it('counts a wait over the target as not within it', () => {
    const change = callChange(ticket(), counter(), agent, at(601));
    expect(change.ticket.firstCall!.withinTarget).toBe(false);
    expect(Object.keys(change.stats[0]!.add).some((k) => k.startsWith('waitsWithinTarget|'))).toBe(false);
    const exactly = callChange(ticket(), counter(), agent, at(600));
    expect(exactly.stats[0]!.add['waitsWithinTarget|t']).toBe(1);
  });

  it('measures the wait from createdAt, not queuedAt', () => {
    const change = callChange(ticket({ queuedAt: iso(300) }), counter(), agent, at(360));
    expect(change.ticket.firstCall!.waitSeconds).toBe(360);
  });

  it('keeps exact running maxima: a shorter wait does not lower them, a longer one raises them', () => {
    const c = counter({ waitMax: { '2025-06-02': { t: 900, 'q:QA': 100, 'c:C1': 900 } } });
    const change = callChange(ticket(), c, agent, at(400));
    expect(change.stats[0]!.set).toMatchObject({
      'maxWait|t': 900,
      'maxWait|q:QA': 400,
      'maxWait|c:C1': 900,
    });
    expect(change.counter!.waitMax!['2025-06-02']).toMatchObject({ t: 900, 'q:QA': 400, 'p:PGEN': 400 });
  });

  it('keeps the counter’s last 10 calls, newest first', () => {
    const recent = Array.from({ length: 10 }, (_, i) => ({ code: `A-${100 + i}`, calledAt: iso(-i) }));
    const change = callChange(ticket(), counter({ recent }), agent, at(60));
    expect(change.counter!.recent).toHaveLength(10);
    expect(change.counter!.recent![0]).toEqual({ code: 'A-007', calledAt: iso(60) });
    expect(change.counter!.recent!.slice(1)).toEqual(recent.slice(0, 9));
  });

  it('prunes the running maxima to the last days, keeping the ticket’s day', () => {
    const waitMax: Counter['waitMax'] = {};
    for (let d = 1; d <= 9; d++) waitMax[`2025-05-2${d}`] = { t: d };
    const change = callChange(ticket(), counter({ waitMax }), agent, at(30));
    const days = Object.keys(change.counter!.waitMax!).sort();
    expect(days.length).toBeLessThanOrEqual(7);
    expect(days).toContain('2025-06-02');
    expect(days).toContain('2025-05-29');
    expect(days).not.toContain('2025-05-21');
    // The ticket's day is kept even when called late, after newer days were recorded.
    const late = callChange(
      ticket({ businessDay: '2025-05-20' }),
      counter({ waitMax: { ...waitMax, '2025-05-20': { t: 5000 } } }),
      agent,
      at(30),
    );
    expect(late.counter!.waitMax!['2025-05-20']).toMatchObject({ t: 5000 });
  });

  it('a second call (after a transfer) records no wait figures and keeps firstCall', () => {
    const first = callChange(ticket(), counter(), agent, at(120)).ticket;
    const moved = transferChange(
      first,
      { queue: queueB, placement: 'keep', place: INSERTED },
      agent,
      at(180),
    ).ticket;
    const second = callChange(moved, counter({ id: 'C2', revision: 3 }), agent, at(500));
    expect(second.ticket.firstCall).toEqual(first.firstCall);
    expect(second.stats).toEqual([]);
    expect(second.counter!.waitMax).toBeUndefined();
    expect(second.ticket).toMatchObject({ status: 'called', counterId: 'C2', calledAt: iso(500) });
    expect(second.waiting).toMatchObject([{ queueId: 'QB', rank: 1, delta: -1 }]);
  });
});

describe('actionChange', () => {
  const called = () => callChange(ticket(), counter(), agent, at(100)).ticket;
  const busyCounter = (t: TicketRecord) =>
    counter({
      current: { ticketId: t.id, code: t.code, status: t.status as 'called', calledAt: t.calledAt! },
      revision: 13,
    });

  it('start: serving with startedAt; the counter shows it serving', () => {
    const t = called();
    const change = actionChange(t, 'start', busyCounter(t), at(130), 24);
    expect(change.ticket).toMatchObject({ status: 'serving', startedAt: iso(130), calledAt: iso(100) });
    expect(change.counter).toEqual({
      counterId: 'C1',
      expectTicketId: 'TICKET1',
      current: { ticketId: 'TICKET1', code: 'A-007', status: 'serving', calledAt: iso(100) },
    });
    expect(change.waiting).toEqual([]);
    expect(change.stats).toEqual([]);
  });

  it('complete after start: service = endedAt − startedAt; frees the counter; feeds observed service', () => {
    const t = actionChange(called(), 'start', undefined, at(130), 24).ticket;
    const change = actionChange(t, 'complete', busyCounter(t), at(430), 24);
    expect(change.ticket).toMatchObject({ status: 'done', endedAt: iso(430) });
    expect(change.counter).toEqual({ counterId: 'C1', expectTicketId: 'TICKET1', current: null });
    expect(change.service).toEqual({ queueId: 'QA', seconds: 300 });
    expect(change.stats).toHaveLength(1);
    expect(change.stats[0]!.scope).toEqual({ kind: 'counter', counterId: 'C1' });
    for (const d of DIMS) {
      expect(change.stats[0]!.add[`served|${d}`]).toBe(1);
      expect(change.stats[0]!.add[`services|${d}`]).toBe(1);
      expect(change.stats[0]!.add[`serviceSeconds|${d}`]).toBe(300);
    }
  });

  it('complete without start: service = endedAt − calledAt (the renewed one after a recall)', () => {
    const recalled = actionChange(called(), 'recall', undefined, at(160), 24).ticket;
    const change = actionChange(recalled, 'complete', busyCounter(recalled), at(220), 24);
    expect(change.service).toEqual({ queueId: 'QA', seconds: 60 });
  });

  it('recall: calledAt renewed, recalls + 1, shown again on the board', () => {
    const t = called();
    const change = actionChange(t, 'recall', busyCounter(t), at(160), 24);
    expect(change.ticket).toMatchObject({ status: 'called', calledAt: iso(160), recalls: 1 });
    expect(change.counter).toMatchObject({
      counterId: 'C1',
      expectTicketId: 'TICKET1',
      current: { ticketId: 'TICKET1', status: 'called', calledAt: iso(160) },
    });
    expect(change.counter!.recent![0]).toEqual({ code: 'A-007', calledAt: iso(160) });
  });

  it('no-show: endedAt, frees the counter, counted at the counter', () => {
    const t = called();
    const change = actionChange(t, 'no-show', busyCounter(t), at(400), 24);
    expect(change.ticket).toMatchObject({ status: 'no_show', endedAt: iso(400) });
    expect(change.counter).toEqual({ counterId: 'C1', expectTicketId: 'TICKET1', current: null });
    expect(change.service).toBeUndefined();
    expect(change.stats[0]!.add).toEqual(Object.fromEntries(DIMS.map((d) => [`noShow|${d}`, 1])));
  });

  it('cancel while waiting: leaves its queue × rank, queue-scoped cancelled figure, no counter', () => {
    const change = actionChange(ticket(), 'cancel', undefined, at(50), 24);
    expect(change.ticket).toMatchObject({ status: 'cancelled', endedAt: iso(50) });
    expect(change.waiting).toMatchObject([{ queueId: 'QA', rank: 3, delta: -1 }]);
    expect(change.counter).toBeUndefined();
    expect(change.stats).toEqual([
      {
        scope: { kind: 'queue', queueId: 'QA' },
        day: '2025-06-02',
        add: { 'cancelled|t': 1, 'cancelled|q:QA': 1, 'cancelled|p:PGEN': 1, 'cancelled|h:10': 1 },
      },
    ]);
  });

  it('cancel while called: frees the counter, counted at the counter, nothing waiting changes', () => {
    const t = called();
    const change = actionChange(t, 'cancel', busyCounter(t), at(150), 24);
    expect(change.ticket.status).toBe('cancelled');
    expect(change.waiting).toEqual([]);
    expect(change.counter).toEqual({ counterId: 'C1', expectTicketId: 'TICKET1', current: null });
    expect(change.stats[0]!.scope).toEqual({ kind: 'counter', counterId: 'C1' });
    expect(change.stats[0]!.add['cancelled|c:C1']).toBe(1);
  });

  it('refuses transitions the table does not allow with a 409', () => {
    expect(() => actionChange(ticket(), 'start', undefined, at(1), 24)).toThrow(ConflictError);
    expect(() => actionChange(ticket({ status: 'done' }), 'cancel', undefined, at(1), 24)).toThrow(
      ConflictError,
    );
    const serving = actionChange(called(), 'start', undefined, at(130), 24).ticket;
    expect(() => actionChange(serving, 'no-show', undefined, at(140), 24)).toThrow(ConflictError);
    expect(() => actionChange(serving, 'recall', undefined, at(140), 24)).toThrow(ConflictError);
    expect(() => actionChange(serving, 'cancel', undefined, at(140), 24)).toThrow(ConflictError);
  });
});

describe('transferChange', () => {
  const individual = () =>
    ticket({ priorityId: 'PIND', rank: 2, targetWaitMinutes: 7, individualPriority: true });

  it('a waiting ticket moves between queue × rank partitions, keeping number, code, createdAt, queuedAt', () => {
    const t = ticket({ queuedAt: iso(10) });
    const change = transferChange(t, { queue: queueB, placement: 'keep', place: INSERTED }, agent, at(200));
    expect(change.ticket).toMatchObject({
      status: 'waiting',
      queueId: 'QB',
      number: 7,
      code: 'A-007',
      createdAt: T0,
      queuedAt: iso(10),
      // not an individual priority: the target queue's
      priorityId: 'PPREF',
      rank: 1,
      targetWaitMinutes: 5,
      counterId: null,
      servedBy: null,
    });
    expect(change.ticket.transfers).toEqual([
      { fromQueueId: 'QA', toQueueId: 'QB', at: iso(200), by: 'AGENT1' },
    ]);
    expect(change.waiting).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ queueId: 'QB', rank: 1, delta: 1, place: INSERTED, arrival: 'transfer' }),
        expect.objectContaining({ queueId: 'QA', rank: 3, delta: -1, place: { entry: 7, inserted: false } }),
      ]),
    );
    expect(change.waiting).toHaveLength(2);
    expect(change.counter).toBeUndefined();
    expect(change.stats).toEqual([]);
  });

  it('placement back sets queuedAt to now', () => {
    const change = transferChange(
      ticket(),
      { queue: queueB, placement: 'back', place: INSERTED },
      agent,
      at(200),
    );
    expect(change.ticket.queuedAt).toBe(iso(200));
    expect(change.ticket.createdAt).toBe(T0);
  });

  it('an individual priority is kept', () => {
    const change = transferChange(
      individual(),
      { queue: queueB, placement: 'keep', place: INSERTED },
      agent,
      at(200),
    );
    expect(change.ticket).toMatchObject({
      priorityId: 'PIND',
      rank: 2,
      targetWaitMinutes: 7,
      individualPriority: true,
    });
    expect(change.waiting).toContainEqual(expect.objectContaining({ queueId: 'QB', rank: 2, delta: 1 }));
  });

  it('a called or serving ticket frees its counter and only enters the target queue', () => {
    const called = callChange(ticket(), counter(), agent, at(100)).ticket;
    const serving = actionChange(called, 'start', undefined, at(110), 24).ticket;
    for (const t of [called, serving]) {
      const change = transferChange(t, { queue: queueB, placement: 'keep', place: INSERTED }, agent, at(200));
      expect(change.ticket).toMatchObject({
        status: 'waiting',
        counterId: null,
        servedBy: null,
        queuedAt: T0,
      });
      expect(change.counter).toEqual({ counterId: 'C1', expectTicketId: 'TICKET1', current: null });
      expect(change.waiting).toMatchObject([{ queueId: 'QB', rank: 1, delta: 1 }]);
      expect(change.ticket.firstCall).toEqual(called.firstCall);
    }
  });

  it('appends to earlier transfers', () => {
    const once = transferChange(
      ticket(),
      { queue: queueB, placement: 'keep', place: INSERTED },
      agent,
      at(200),
    ).ticket;
    const queueA: Queue = { ...queueB, id: 'QA', prefix: 'A', priorityId: 'PGEN', priorityRank: 3 };
    const twice = transferChange(
      once,
      { queue: queueA, placement: 'back', place: INSERTED },
      agent,
      at(300),
    ).ticket;
    expect(twice.transfers.map((x) => [x.fromQueueId, x.toQueueId])).toEqual([
      ['QA', 'QB'],
      ['QB', 'QA'],
    ]);
    expect(twice.rev).toBe(6);
  });

  it('refuses finished tickets with a 409', () => {
    for (const status of ['done', 'no_show', 'cancelled', 'expired'] as const) {
      expect(() =>
        transferChange(
          ticket({ status }),
          { queue: queueB, placement: 'keep', place: INSERTED },
          agent,
          at(1),
        ),
      ).toThrow(ConflictError);
    }
  });
});

describe('contact data: ending a ticket schedules its erasure', () => {
  const contact = { customer: { name: 'Ana', phone: '+34600000000' } };
  const called = (extra: Partial<TicketRecord>) =>
    callChange(ticket(extra), counter(), agent, at(100)).ticket;
  const busyCounter = (t: TicketRecord) =>
    counter({
      current: { ticketId: t.id, code: t.code, status: t.status as 'called', calledAt: t.calledAt! },
    });
  const HOURS = [0, 1, 24, 8760];

  it('every way a ticket ends sets contactDueAt = endedAt + the branch hours; nothing else does', () => {
    for (const hours of HOURS) {
      const waiting = ticket(contact);
      const atCounter = called(contact);
      const serving = actionChange(atCounter, 'start', undefined, at(130), hours).ticket;
      expect(serving.contactDueAt ?? null).toBeNull();
      expect(
        actionChange(atCounter, 'recall', undefined, at(140), hours).ticket.contactDueAt ?? null,
      ).toBeNull();
      const ends = [
        actionChange(serving, 'complete', busyCounter(serving), at(400), hours),
        actionChange(atCounter, 'no-show', busyCounter(atCounter), at(400), hours),
        actionChange(atCounter, 'cancel', busyCounter(atCounter), at(400), hours),
        actionChange(waiting, 'cancel', undefined, at(400), hours),
        expireChange(waiting, at(400), hours),
        expireChange(atCounter, at(400), hours),
        expireChange(serving, at(400), hours),
      ];
      for (const { ticket: ended } of ends) {
        expect(ended.endedAt).toBe(iso(400));
        expect(ended.contactDueAt, `${ended.status}, ${hours} h`).toBe(iso(400 + hours * 3600));
      }
    }
  });

  it('a ticket without contact data is scheduled for nothing', () => {
    const ended = actionChange(ticket(), 'cancel', undefined, at(400), 24).ticket;
    expect(ended.contactDueAt).toBeNull();
  });
});

describe('remote tickets and the branch’s waiting remote count', () => {
  const remote = (extra: Partial<TicketRecord> = {}) => ticket({ source: 'remote', ...extra });

  it('an issue adds one under the branch’s limit; staff and kiosk tickets leave the count alone', () => {
    expect(issueChange(remote(), undefined, 5).remoteWaiting).toEqual({ delta: 1, max: 5 });
    expect(issueChange(remote(), undefined, null).remoteWaiting).toEqual({ delta: 1, max: null });
    expect(issueChange(ticket({ source: 'kiosk' }), undefined, 5).remoteWaiting).toBeUndefined();
    expect(issueChange(ticket(), undefined, 5).remoteWaiting).toBeUndefined();
  });

  it('calling, cancelling or expiring a waiting remote ticket takes one off; ending it at a counter does not', () => {
    expect(callChange(remote(), counter(), agent, at(60)).remoteWaiting).toEqual({ delta: -1 });
    expect(actionChange(remote(), 'cancel', undefined, at(60), 24).remoteWaiting).toEqual({ delta: -1 });
    expect(expireChange(remote(), at(60), 24).remoteWaiting).toEqual({ delta: -1 });
    const called = remote({ status: 'called', counterId: 'C1', calledAt: iso(30), place: null });
    expect(actionChange(called, 'complete', undefined, at(60), 24).remoteWaiting).toBeUndefined();
    expect(actionChange(called, 'cancel', undefined, at(60), 24).remoteWaiting).toBeUndefined();
    expect(expireChange(called, at(60), 24).remoteWaiting).toBeUndefined();
    expect(callChange(ticket(), counter(), agent, at(60)).remoteWaiting).toBeUndefined();
  });
});

describe('feedback', () => {
  const done = (extra: Partial<TicketRecord> = {}) =>
    ticket({
      status: 'done',
      counterId: 'C1',
      servedBy: 'AGENT1',
      calledAt: iso(60),
      endedAt: iso(300),
      place: null,
      ...extra,
    });

  it('is open for a done ticket up to 24 hours after its end, given once taken, closed otherwise', () => {
    const day = 24 * 3600;
    expect(feedbackState(done(), at(300))).toBe('open');
    expect(feedbackState(done(), at(300 + day))).toBe('open');
    expect(feedbackState(done(), at(301 + day))).toBe('closed');
    expect(feedbackState(done({ feedback: { rating: 3, givenAt: iso(400) } }), at(500))).toBe('given');
    for (const status of ['waiting', 'called', 'serving', 'no_show', 'cancelled', 'expired'] as const) {
      expect(feedbackState(done({ status }), at(400))).toBe('closed');
    }
  });

  it('counts the rating where the service counted, on the ticket’s business day, and keeps the comment apart', () => {
    const change = feedbackChange(done({ hour: '09' }), { rating: 4, comment: 'Bien' }, at(600), 24);
    expect(change.ticket).toMatchObject({
      feedback: { rating: 4, givenAt: iso(600) },
      feedbackComment: 'Bien',
      rev: 5,
    });
    expect(change.previous?.rev).toBe(4);
    expect(change.stats).toEqual([
      {
        scope: { kind: 'queue', queueId: 'QA' },
        day: '2025-06-02',
        add: {
          'feedbacks|t': 1,
          'feedbacks|q:QA': 1,
          'feedbacks|p:PGEN': 1,
          'feedbacks|h:09': 1,
          'feedbacks|c:C1': 1,
          'feedbacks|a:AGENT1': 1,
          'ratingSum|t': 4,
          'ratingSum|q:QA': 4,
          'ratingSum|p:PGEN': 4,
          'ratingSum|h:09': 4,
          'ratingSum|c:C1': 4,
          'ratingSum|a:AGENT1': 4,
        },
      },
    ]);
    expect(publicView(change.ticket).feedback).toEqual({ rating: 4, comment: 'Bien', givenAt: iso(600) });
    expect('feedbackComment' in publicView(change.ticket)).toBe(false);
  });

  it('erases a comment with the ticket’s contact data, never later', () => {
    const withContact = done({ customer: { name: 'Eva' }, contactDueAt: iso(300 + 3600) });
    expect(feedbackChange(withContact, { rating: 2, comment: 'x' }, at(900), 1).ticket.contactDueAt).toBe(
      iso(300 + 3600),
    );
    // No contact data until the comment: due at the end + the retention.
    expect(feedbackChange(done(), { rating: 2, comment: 'x' }, at(900), 1).ticket.contactDueAt).toBe(
      iso(300 + 3600),
    );
    expect(
      feedbackChange(done(), { rating: 2, comment: null }, at(900), 1).ticket.contactDueAt,
    ).toBeUndefined();
  });
});
