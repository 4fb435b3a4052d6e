import { describe, expect, it } from 'vitest';
import { estimateWaitSeconds, queueEstimate, servingCounters } from '#core/domain/estimates';
import {
  type BranchSetup,
  type Counter,
  DEFAULT_SERVICE_SECONDS,
  type Queue,
  type QueueLive,
} from '#core/domain/setup';
import { routeToQueue } from '#core/usecases/tickets/enqueue';

const T0 = '2025-06-02T08:00:00.000Z';

function live(waiting: Record<number, number> = {}, service?: { n: number; sum: number }): QueueLive {
  return {
    waitingByRank: new Map(Object.entries(waiting).map(([rank, n]) => [Number(rank), n])),
    serviceCount: service?.n ?? 0,
    serviceSeconds: service?.sum ?? 0,
    version: 0,
    shardVersions: [],
    lines: new Map(),
  };
}

function queue(
  id: string,
  priorityId: string,
  l: QueueLive,
  extra: Partial<Queue> = {},
): BranchSetup['queues'][number] {
  return {
    id,
    branchId: 'B',
    name: `Queue ${id}`,
    prefix: id.slice(0, 3).toUpperCase(),
    priorityId,
    priorityRank: 3,
    targetWaitMinutes: 15,
    status: 'open',
    description: null,
    displayOrder: null,
    createdAt: T0,
    updatedAt: T0,
    live: l,
    numbering: null,
    ...extra,
  };
}

function counter(id: string, queueIds: string[]): Counter {
  return {
    id,
    branchId: 'B',
    name: id,
    queueIds,
    allowStealing: true,
    current: null,
    recent: [],
    waitMax: {},
    revision: 0,
    createdAt: T0,
    updatedAt: T0,
  };
}

function setup(queues: BranchSetup['queues'], counters: Counter[]): BranchSetup {
  return {
    branch: {
      id: 'B',
      name: 'B',
      timezone: 'Europe/Madrid',
      resetHour: 3,
      agingMinutes: 15,
      address: null,
      language: 'en',
      printTickets: false,
      notifyAtPosition: 3,
      remoteJoin: { enabled: false, maxWaiting: null },
      contactRetentionHours: 24,
      closeEpoch: 0,
      lastClosedDay: null,
      createdAt: T0,
      updatedAt: T0,
    },
    queues,
    counters,
  };
}

describe('estimateWaitSeconds', () => {
  it('is round((position − 1) × avgServiceSeconds ÷ serving counters)', () => {
    expect(estimateWaitSeconds(1, 300, 1)).toBe(0);
    expect(estimateWaitSeconds(2, 300, 1)).toBe(300);
    expect(estimateWaitSeconds(4, 300, 2)).toBe(450);
    expect(estimateWaitSeconds(2, 100, 3)).toBe(33);
    expect(estimateWaitSeconds(3, 100, 3)).toBe(67);
  });

  it('is null when no counter serves the queue', () => {
    expect(estimateWaitSeconds(5, 300, 0)).toBeNull();
  });
});

describe('queueEstimate and servingCounters', () => {
  it('counts the counters that have the queue among their own', () => {
    const s = setup(
      [queue('a', 'P1', live()), queue('b', 'P1', live()), queue('c', 'P1', live())],
      [counter('c1', ['a', 'b']), counter('c2', ['a'])],
    );
    expect(servingCounters(s, 'a')).toBe(2);
    expect(servingCounters(s, 'b')).toBe(1);
    expect(servingCounters(s, 'c')).toBe(0);
  });

  it('is the wait of a ticket issued now behind everyone waiting, 300 s per ticket until observed', () => {
    const a = queue('a', 'P1', live({ 1: 2, 3: 4 }));
    const b = queue('b', 'P1', live({ 3: 3 }, { n: 4, sum: 4 * 120 + 2 }));
    const c = queue('c', 'P1', live({ 3: 3 }));
    const s = setup([a, b, c], [counter('c1', ['a', 'b']), counter('c2', ['a'])]);
    expect(queueEstimate(s, a)).toBe(Math.round((6 * DEFAULT_SERVICE_SECONDS) / 2));
    // Observed average: round(482 / 4) = 121 (rounded half up from 120.5).
    expect(queueEstimate(s, b)).toBe(3 * 121);
    expect(queueEstimate(s, c)).toBeNull();
  });
});

describe('routeToQueue (automatic routing by priority)', () => {
  const c = (queues: string[]) => counter(`c-${queues.join('')}`, queues);

  it('picks the open queue of the priority with the lowest estimated wait', () => {
    const s = setup(
      [
        queue('a', 'P1', live({ 3: 2 })), // 2 × 300 ÷ 1 = 600
        queue('b', 'P1', live({ 3: 3 })), // 3 × 300 ÷ 2 = 450
        queue('x', 'P2', live()), // another priority
      ],
      [c(['a']), c(['b']), c(['b', 'x'])],
    );
    expect(routeToQueue(s, 'P1')?.id).toBe('b');
    expect(routeToQueue(s, 'P2')?.id).toBe('x');
    expect(routeToQueue(s, 'P3')).toBeUndefined();
  });

  it('uses each queue’s observed service time', () => {
    const s = setup(
      [
        queue('a', 'P1', live({ 3: 2 }, { n: 1, sum: 60 })), // 120
        queue('b', 'P1', live({ 3: 1 })), // 300
      ],
      [c(['a', 'b'])],
    );
    expect(routeToQueue(s, 'P1')?.id).toBe('a');
  });

  it('breaks ties by fewest waiting, then the oldest queue', () => {
    const s = setup(
      [
        queue('a', 'P1', live({ 3: 2 }), { createdAt: '2025-06-02T08:00:00.003Z' }), // 2×300÷2 = 300
        queue('b', 'P1', live({ 3: 1 }), { createdAt: '2025-06-02T08:00:00.002Z' }), // 1×300÷1 = 300
        queue('c', 'P1', live({ 3: 1 }), { createdAt: '2025-06-02T08:00:00.001Z' }), // 300
        queue('d', 'P1', live({ 3: 1 }), { createdAt: '2025-06-02T08:00:00.000Z' }), // 300
      ],
      [c(['a']), c(['a', 'b']), c(['c']), c(['d'])],
    );
    expect(routeToQueue(s, 'P1')?.id).toBe('d');
    const withoutD = setup(s.queues.slice(0, 3), s.counters);
    expect(routeToQueue(withoutD, 'P1')?.id).toBe('c');
    const onlyAB = setup(s.queues.slice(0, 2), s.counters);
    expect(routeToQueue(onlyAB, 'P1')?.id).toBe('b');
  });

  it('only considers open queues of the priority', () => {
    const s = setup(
      [
        queue('paused', 'P1', live(), { status: 'paused' }),
        queue('closed', 'P1', live(), { status: 'closed' }),
        queue('open', 'P1', live({ 3: 50 })),
      ],
      [c(['paused', 'closed', 'open'])],
    );
    expect(routeToQueue(s, 'P1')?.id).toBe('open');
    const none = setup(s.queues.slice(0, 2), s.counters);
    expect(routeToQueue(none, 'P1')).toBeUndefined();
  });

  it('prefers a queue with an estimate over one that no counter serves', () => {
    const s = setup(
      [
        queue('unserved', 'P1', live(), { createdAt: '2025-06-01T00:00:00.000Z' }),
        queue('served', 'P1', live({ 3: 9 })),
      ],
      [c(['served'])],
    );
    expect(routeToQueue(s, 'P1')?.id).toBe('served');
    // Only unserved queues: still routed (fewest waiting, then oldest).
    const unserved = setup(
      [
        queue('u1', 'P1', live({ 3: 2 }), { createdAt: '2025-06-01T00:00:00.000Z' }),
        queue('u2', 'P1', live({ 3: 1 }), { createdAt: '2025-06-02T00:00:00.000Z' }),
      ],
      [],
    );
    expect(routeToQueue(unserved, 'P1')?.id).toBe('u2');
  });
});
