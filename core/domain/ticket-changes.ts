import type { Actor } from './actor';
import { waitingSortKey } from './call-order';
import { contactDueAt } from './contact';
import type { ForgottenWord } from './numbering';
import type { Place } from './positions';
import {
  addStat,
  type Dimensions,
  dimensionKeys,
  histogramFigure,
  type StatDelta,
  secondsBetween,
  statName,
  waitBucket,
} from './report-stats';
import type { Counter, CounterCurrent, Numbering, Queue, RecentCall } from './setup';
import { assertTransition, type TicketAction, type TicketRecord, type TicketStatus } from './ticket';

/**
 * Every ticket state change is computed here, without I/O, as a TicketChange: the ticket's
 * next state plus everything that must change with it in the same transaction (the counter,
 * live waiting counts, observed service, report aggregates). The DynamoDB adapter turns one
 * TicketChange into one TransactWriteItems.
 */
export interface WaitingDelta {
  queueId: string;
  rank: number;
  /** A ticket arrives in (1) or leaves (−1) the line of this queue × rank. */
  delta: 1 | -1;
  /** Its place there, its id and its waiting sort key: what positions keep of it (positions.ts). */
  place: Place;
  ticketId: string;
  key: string;
  /** An arrival needs the queue to accept it: issued tickets an open queue, moved ones a queue not closed. */
  arrival?: 'issue' | 'transfer';
}

export type StatScope = { kind: 'queue'; queueId: string } | { kind: 'counter'; counterId: string };

export interface StatWrite {
  scope: StatScope;
  day: string;
  add: StatDelta;
  /** Absolute values to set (exact maxima). */
  set?: Record<string, number>;
}

export interface CounterWrite {
  counterId: string;
  /** The ticket the counter must hold now (null: must be free). */
  expectTicketId: string | null;
  /** Revision the counter must still have (set by call-next, whose maxima depend on it). */
  expectRevision?: number;
  current: CounterCurrent | null;
  recent?: RecentCall[];
  waitMax?: Counter['waitMax'];
}

export interface NumberingWrite {
  queueId: string;
  /** What the queue's numbering was when the number was chosen (null: it had none yet). */
  expect: Numbering | null;
  next: Numbering;
  /** Departure words its lines no longer need (their bases moved past them). */
  forget: ForgottenWord[];
}

/**
 * A remote ticket starts (1) or stops (−1) waiting: the branch's count of waiting remote tickets
 * moves with it, and an arrival requires the count to be under `max` (the branch's
 * `remoteJoin.maxWaiting`; null: no limit).
 */
export interface RemoteWaitingWrite {
  delta: number;
  max?: number | null;
}

export interface TicketChange {
  ticket: TicketRecord;
  /** Issuing claims the queue's next number in the same transaction, on condition it is still next. */
  numbering?: NumberingWrite;
  /** The state this change was computed from; null when the ticket is new. */
  previous: TicketRecord | null;
  counter?: CounterWrite;
  waiting: WaitingDelta[];
  service?: { queueId: string; seconds: number };
  stats: StatWrite[];
  remoteWaiting?: RemoteWaitingWrite;
}

const RECENT_CALLS = 10;
const WAIT_MAX_DAYS = 7;

const next = (ticket: TicketRecord, now: Date, changes: Partial<TicketRecord>): TicketRecord => ({
  ...ticket,
  ...changes,
  updatedAt: now.toISOString(),
  rev: ticket.rev + 1,
});

const lineDelta = (ticket: TicketRecord, delta: 1 | -1): WaitingDelta => ({
  queueId: ticket.queueId,
  rank: ticket.rank,
  delta,
  // A ticket issued before places were kept has none: it leaves its line like an inserted one
  // that was never listed (its count goes, nothing else).
  place: ticket.place ?? { entry: 0, inserted: true },
  ticketId: ticket.id,
  key: waitingSortKey(ticket.queuedAt, ticket.id),
});

/** A waiting ticket leaves its line (called, cancelled, expired, moved away). */
const leaving = (ticket: TicketRecord) => lineDelta(ticket, -1);

/** A remote ticket that stops waiting frees its place among the branch's waiting remote tickets. */
const remoteLeaving = (ticket: TicketRecord): Pick<TicketChange, 'remoteWaiting'> =>
  ticket.source === 'remote' && ticket.status === 'waiting' ? { remoteWaiting: { delta: -1 } } : {};

const dimensionsOf = (t: TicketRecord, withCounter: boolean): Dimensions => ({
  queueId: t.queueId,
  priorityId: t.priorityId,
  hour: t.hour,
  ...(withCounter && t.counterId ? { counterId: t.counterId } : {}),
  ...(withCounter && t.servedBy ? { agentId: t.servedBy } : {}),
});

/**
 * Issuing a ticket. With `numbering`, the change claims its number (and entry) by writing the
 * queue's next numbering on condition that it is still the one read; without, the number was
 * reserved beforehand (under contention).
 */
export function issueChange(
  ticket: TicketRecord,
  numbering?: NumberingWrite,
  remoteMax?: number | null,
): TicketChange {
  return {
    ticket,
    previous: null,
    ...(numbering && { numbering }),
    ...(ticket.source === 'remote' && { remoteWaiting: { delta: 1, max: remoteMax ?? null } }),
    waiting: [{ ...lineDelta(ticket, 1), arrival: 'issue' }],
    stats: [
      {
        scope: { kind: 'queue', queueId: ticket.queueId },
        day: ticket.businessDay,
        add: addStat({}, 'issued', {
          queueId: ticket.issuedQueueId,
          priorityId: ticket.issuedPriorityId,
          hour: ticket.hour,
        }),
      },
    ],
  };
}

const pushRecent = (recent: readonly RecentCall[], call: RecentCall) =>
  [call, ...recent].slice(0, RECENT_CALLS);

/** call-next: the counter (free, at the revision it was read) takes this waiting ticket. */
export function callChange(ticket: TicketRecord, counter: Counter, actor: Actor, now: Date): TicketChange {
  const at = now.toISOString();
  const called = next(ticket, now, {
    status: 'called',
    calledAt: at,
    startedAt: null,
    counterId: counter.id,
    servedBy: actor.userId,
    place: null,
  });
  const change: TicketChange = {
    ticket: called,
    previous: ticket,
    waiting: [leaving(ticket)],
    ...remoteLeaving(ticket),
    counter: {
      counterId: counter.id,
      expectTicketId: null,
      expectRevision: counter.revision,
      current: { ticketId: ticket.id, code: ticket.code, status: 'called', calledAt: at },
      recent: pushRecent(counter.recent, { code: ticket.code, calledAt: at }),
    },
    stats: [],
  };
  if (!ticket.firstCall) {
    const waitSeconds = secondsBetween(ticket.createdAt, at);
    const withinTarget = waitSeconds <= ticket.targetWaitMinutes * 60;
    called.firstCall = {
      at,
      queueId: ticket.queueId,
      priorityId: ticket.priorityId,
      counterId: counter.id,
      agentId: actor.userId,
      waitSeconds,
      withinTarget,
    };
    const dims: Dimensions = {
      queueId: ticket.queueId,
      priorityId: ticket.priorityId,
      hour: ticket.hour,
      counterId: counter.id,
      agentId: actor.userId,
    };
    const add: StatDelta = {};
    addStat(add, 'waits', dims);
    addStat(add, 'waitSeconds', dims, waitSeconds);
    if (withinTarget) addStat(add, 'waitsWithinTarget', dims);
    addStat(add, histogramFigure(waitBucket(waitSeconds)), dims);
    // Counter and agent groups count the tickets they called first as their `issued`.
    add[statName('issued', `c:${counter.id}`)] = 1;
    add[statName('issued', `a:${actor.userId}`)] = 1;
    const known = counter.waitMax[ticket.businessDay] ?? {};
    const maxima: Record<string, number> = {};
    for (const dim of dimensionKeys(dims)) maxima[dim] = Math.max(known[dim] ?? 0, waitSeconds);
    const waitMax: Counter['waitMax'] = {};
    for (const day of Object.keys(counter.waitMax)
      .sort()
      .slice(-(WAIT_MAX_DAYS - 1))) {
      if (day !== ticket.businessDay) waitMax[day] = counter.waitMax[day]!;
    }
    waitMax[ticket.businessDay] = { ...known, ...maxima };
    change.counter!.waitMax = waitMax;
    change.stats.push({
      scope: { kind: 'counter', counterId: counter.id },
      day: ticket.businessDay,
      add,
      set: Object.fromEntries(Object.entries(maxima).map(([dim, v]) => [statName('maxWait', dim), v])),
    });
  }
  return change;
}

const ENDED: Partial<Record<TicketAction, TicketStatus>> = {
  complete: 'done',
  'no-show': 'no_show',
  cancel: 'cancelled',
};

/**
 * A ticket ends (done, no_show, cancelled, expired): it leaves every line, and its contact data,
 * if any, is scheduled for erasure `retentionHours` (its branch's `contactRetentionHours`) later.
 */
const ending = (ticket: TicketRecord, status: TicketStatus, at: string, retentionHours: number) => ({
  status,
  endedAt: at,
  place: null,
  contactDueAt: contactDueAt(ticket, at, retentionHours),
});

/**
 * start, complete, no-show, recall and cancel: the state machine of docs/rules.md#ticket-actions
 * plus their effects. `retentionHours`: the branch's `contactRetentionHours`, for a change that
 * ends the ticket.
 */
export function actionChange(
  ticket: TicketRecord,
  action: Exclude<TicketAction, 'transfer'>,
  counter: Counter | undefined,
  now: Date,
  retentionHours: number,
): TicketChange {
  assertTransition(action, ticket.status);
  const at = now.toISOString();
  const atCounter = ticket.status === 'called' || ticket.status === 'serving';
  const current = counter?.current?.ticketId === ticket.id ? counter.current : null;
  const freeCounter = (): CounterWrite | undefined =>
    atCounter && ticket.counterId
      ? { counterId: ticket.counterId, expectTicketId: ticket.id, current: null }
      : undefined;

  if (action === 'start') {
    return {
      ticket: next(ticket, now, { status: 'serving', startedAt: at }),
      previous: ticket,
      waiting: [],
      counter: counterUpdate(ticket, current, { status: 'serving' }),
      stats: [],
    };
  }
  if (action === 'recall') {
    return {
      ticket: next(ticket, now, { calledAt: at, recalls: ticket.recalls + 1 }),
      previous: ticket,
      waiting: [],
      counter: {
        ...counterUpdate(ticket, current, { calledAt: at }),
        recent: pushRecent(counter?.recent ?? [], { code: ticket.code, calledAt: at }),
      },
      stats: [],
    };
  }
  const status = ENDED[action]!;
  const ended = next(ticket, now, ending(ticket, status, at, retentionHours));
  const change: TicketChange = {
    ticket: ended,
    previous: ticket,
    waiting: [],
    counter: freeCounter(),
    stats: [],
  };
  if (!atCounter) {
    // Cancelled while waiting: it leaves its queue; no counter is involved.
    change.waiting.push(leaving(ticket));
    Object.assign(change, remoteLeaving(ticket));
    change.stats.push({
      scope: { kind: 'queue', queueId: ticket.queueId },
      day: ticket.businessDay,
      add: addStat({}, 'cancelled', dimensionsOf(ticket, false)),
    });
    return change;
  }
  const dims = dimensionsOf(ticket, true);
  const add: StatDelta = {};
  if (status === 'done') {
    const seconds = secondsBetween(ticket.startedAt ?? ticket.calledAt ?? at, at);
    addStat(add, 'served', dims);
    addStat(add, 'services', dims);
    addStat(add, 'serviceSeconds', dims, seconds);
    change.service = { queueId: ticket.queueId, seconds };
  } else addStat(add, status === 'no_show' ? 'noShow' : 'cancelled', dims);
  change.stats.push({
    scope: { kind: 'counter', counterId: ticket.counterId! },
    day: ticket.businessDay,
    add,
  });
  return change;
}

function counterUpdate(
  ticket: TicketRecord,
  current: CounterCurrent | null,
  changes: Partial<CounterCurrent>,
): CounterWrite {
  return {
    counterId: ticket.counterId!,
    expectTicketId: ticket.id,
    current: {
      ticketId: ticket.id,
      code: ticket.code,
      status: current?.status ?? 'called',
      calledAt: current?.calledAt ?? ticket.calledAt!,
      ...changes,
    },
  };
}

/**
 * Day close (docs/rules.md#day-close): what still waits or is called expires, what is being
 * served is done. Figures go where the ticket is: its counter when it is at one, else its queue.
 */
export function expireChange(ticket: TicketRecord, now: Date, retentionHours: number): TicketChange {
  const at = now.toISOString();
  if (ticket.status === 'serving') return actionChange(ticket, 'complete', undefined, now, retentionHours);
  const atCounter = ticket.status === 'called';
  const change: TicketChange = {
    ticket: next(ticket, now, ending(ticket, 'expired', at, retentionHours)),
    previous: ticket,
    waiting: atCounter ? [] : [leaving(ticket)],
    ...remoteLeaving(ticket),
    counter:
      atCounter && ticket.counterId
        ? { counterId: ticket.counterId, expectTicketId: ticket.id, current: null }
        : undefined,
    stats: [
      {
        scope:
          atCounter && ticket.counterId
            ? { kind: 'counter', counterId: ticket.counterId }
            : { kind: 'queue', queueId: ticket.queueId },
        day: ticket.businessDay,
        add: addStat({}, 'expired', dimensionsOf(ticket, atCounter)),
      },
    ],
  };
  return change;
}

export interface TransferTarget {
  queue: Queue;
  placement: 'keep' | 'back';
  /** Its place in the target's line (see `keepsPlace`, and placeOnMove in the use cases). */
  place: Place;
}

/** The priority a moved ticket has in its target queue: its own individual one, else the queue's. */
export function movedPriority(ticket: TicketRecord, queue: Queue) {
  return ticket.individualPriority
    ? { priorityId: ticket.priorityId, rank: ticket.rank, targetWaitMinutes: ticket.targetWaitMinutes }
    : { priorityId: queue.priorityId, rank: queue.priorityRank, targetWaitMinutes: queue.targetWaitMinutes };
}

/** A waiting ticket moved to its own line keeping its place stays where it is. */
export const keepsPlace = (ticket: TicketRecord, queue: Queue, placement: TransferTarget['placement']) =>
  ticket.status === 'waiting' &&
  ticket.queueId === queue.id &&
  movedPriority(ticket, queue).rank === ticket.rank &&
  placement === 'keep';

/**
 * transfer (and each move of a reassign): back to waiting in the target queue, keeping
 * number, code and createdAt; queuedAt kept unless placed at the back; an individual priority
 * is kept, otherwise the target queue's priority applies; the counter is freed.
 */
export function transferChange(
  ticket: TicketRecord,
  target: TransferTarget,
  actor: Actor,
  now: Date,
): TicketChange {
  assertTransition('transfer', ticket.status);
  const at = now.toISOString();
  const { queue, placement } = target;
  const stays = keepsPlace(ticket, queue, placement);
  const moved = next(ticket, now, {
    ...movedPriority(ticket, queue),
    status: 'waiting',
    queueId: queue.id,
    queuedAt: placement === 'back' ? at : ticket.queuedAt,
    counterId: null,
    servedBy: null,
    transfers: [
      ...ticket.transfers,
      { fromQueueId: ticket.queueId, toQueueId: queue.id, at, by: actor.userId },
    ],
    place: stays ? ticket.place : target.place,
  });
  const waiting: WaitingDelta[] = stays ? [] : [{ ...lineDelta(moved, 1), arrival: 'transfer' }];
  if (ticket.status === 'waiting' && !stays) waiting.push(leaving(ticket));
  // A remote ticket sent back from a counter waits again (staff moves are never refused for it).
  const backToWaiting = ticket.source === 'remote' && ticket.status !== 'waiting';
  return {
    ticket: moved,
    previous: ticket,
    waiting,
    ...(backToWaiting && { remoteWaiting: { delta: 1 } }),
    counter:
      ticket.status !== 'waiting' && ticket.counterId
        ? { counterId: ticket.counterId, expectTicketId: ticket.id, current: null }
        : undefined,
    stats: [],
  };
}

/**
 * The customer rates a done ticket (docs/rules.md#feedback): the rating counts in the reports of
 * the ticket's business day, where its service counts (queue, priority, hour of issue, counter,
 * agent); a comment is kept with the ticket and erased with its contact data, `retentionHours`
 * after the ticket's end. The caller checks `feedbackState` first; the revision condition makes it once.
 */
export function feedbackChange(
  ticket: TicketRecord,
  { rating, comment }: { rating: number; comment: string | null },
  now: Date,
  retentionHours: number,
): TicketChange {
  const at = now.toISOString();
  const given = next(ticket, now, { feedback: { rating, givenAt: at }, feedbackComment: comment });
  // The comment goes when the ticket's contact data goes (its end + the retention), never later:
  // a comment must not keep a phone number longer. Past that time already, the next erasing run.
  if (comment)
    given.contactDueAt = ticket.contactDueAt ?? contactDueAt(given, ticket.endedAt ?? at, retentionHours);
  const add: StatDelta = {};
  addStat(add, 'feedbacks', dimensionsOf(ticket, true));
  addStat(add, 'ratingSum', dimensionsOf(ticket, true), rating);
  return {
    ticket: given,
    previous: ticket,
    waiting: [],
    // A queue's day item, not the counter's: the counter's own item is busy with its calls.
    stats: [{ scope: { kind: 'queue', queueId: ticket.queueId }, day: ticket.businessDay, add }],
  };
}
