import { ConflictError } from './errors';
import type { NotifyChannel, PushSubscription } from './notify';
import type { Place } from './positions';

/**
 * Tickets (docs/rules.md#tickets): the shape clients see, the record we keep, and the state
 * machine.
 */

export type TicketStatus = 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'cancelled' | 'expired';

export interface Customer {
  name?: string;
  phone?: string;
  email?: string;
  reference?: string;
}

/**
 * Where a ticket was issued: `kiosk` (a kiosk-role session), `staff` (any other signed-in user,
 * e.g. a receptionist) or `remote` (the public join page). Tickets issued before tickets kept
 * their source read as `staff`.
 */
export const TICKET_SOURCES = ['kiosk', 'staff', 'remote'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/** The customer's rating of a done ticket (its comment is kept apart: it may hold personal data). */
export interface FeedbackRecord {
  rating: number;
  givenAt: string;
}

export interface Feedback extends FeedbackRecord {
  comment: string | null;
}

export interface Transfer {
  fromQueueId: string;
  toQueueId: string;
  at: string;
  by: string;
}

export interface Ticket {
  id: string;
  branchId: string;
  queueId: string;
  priorityId: string;
  number: number;
  code: string;
  businessDay: string;
  status: TicketStatus;
  customer: Customer | null;
  note: string | null;
  createdAt: string;
  queuedAt: string;
  calledAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  counterId: string | null;
  servedBy: string | null;
  recalls: number;
  transfers: Transfer[];
  publicToken: string;
  source: TicketSource;
  feedback: Feedback | null;
  updatedAt: string;
}

/** Who took a ticket first, and how long it had waited: the wait figures of reports. */
export interface FirstCall {
  at: string;
  queueId: string;
  priorityId: string;
  counterId: string;
  agentId: string;
  waitSeconds: number;
  withinTarget: boolean;
}

/** What we store: the ticket plus what ordering and reports need. */
export interface TicketRecord extends Omit<Ticket, 'feedback'> {
  feedback: FeedbackRecord | null;
  /** The feedback's comment: free text, erased with the contact data (docs/privacy.md). */
  feedbackComment?: string | null;
  /** Rank of the ticket's priority when it was queued (the waiting-index partition). */
  rank: number;
  targetWaitMinutes: number;
  /** The customer got a priority of their own, which transfers keep. */
  individualPriority: boolean;
  closeEpoch: number;
  /** Report attribution of the issue: queue, priority and branch-local hour at issue. */
  issuedQueueId: string;
  issuedPriorityId: string;
  hour: string;
  firstCall: FirstCall | null;
  /** While waiting: its place in the line of its queue × rank (positions.ts); null otherwise. */
  place: Place | null;
  /** Optimistic-concurrency revision: every write checks and bumps it. */
  rev: number;
  /** Ended holding contact data: when that data is due for erasure (contact.ts); else null or absent. */
  contactDueAt?: string | null;
  /** When the ticket's contact data was erased (by the erasing job or at the customer's request). */
  contactErasedAt?: string;
  /** The message channels the customer asked for (notify.ts); absent when none. */
  notify?: NotifyChannel[];
  /** The customer's browsers subscribed to web push: contact data (contact.ts). */
  pushSubscriptions?: PushSubscription[];
}

export const TERMINAL: ReadonlySet<TicketStatus> = new Set(['done', 'no_show', 'cancelled', 'expired']);

export type TicketAction = 'start' | 'complete' | 'no-show' | 'recall' | 'cancel' | 'transfer';

const ALLOWED_FROM: Record<TicketAction, readonly TicketStatus[]> = {
  start: ['called'],
  complete: ['called', 'serving'],
  'no-show': ['called'],
  recall: ['called'],
  cancel: ['waiting', 'called'],
  transfer: ['waiting', 'called', 'serving'],
};

export function canApply(action: TicketAction, status: TicketStatus): boolean {
  return ALLOWED_FROM[action].includes(status);
}

export function assertTransition(action: TicketAction, status: TicketStatus): void {
  if (!canApply(action, status)) {
    throw new ConflictError('invalid-transition', `Cannot ${action} a ticket that is ${status}`);
  }
}

/** `A-007`, `A-1234`: prefix, dash, number zero-padded to 3 digits. */
export function ticketCode(prefix: string, number: number): string {
  return `${prefix}-${String(number).padStart(3, '0')}`;
}

/** What issuing decides about a ticket; everything else starts the same for every new ticket. */
export interface NewTicket {
  id: string;
  branchId: string;
  queueId: string;
  priorityId: string;
  /** The queue's prefix: with `number` it makes the code. */
  prefix: string;
  number: number;
  /** Its entry number in the line of its queue × rank, taken with the number. */
  entry: number;
  businessDay: string;
  /** When it took its number: also its `queuedAt`. */
  createdAt: string;
  publicToken: string;
  rank: number;
  targetWaitMinutes: number;
  individualPriority: boolean;
  closeEpoch: number;
  /** Branch-local hour of issue, `00`–`23`. */
  hour: string;
  customer?: Customer | null;
  note?: string | null;
  /** Default `staff`. */
  source?: TicketSource;
  /** The message channels asked for at issue. */
  notify?: NotifyChannel[];
}

/** A ticket as issued: waiting in its queue since it was created, attributed to it for reports. */
export function waitingTicket({
  prefix,
  customer,
  note,
  entry,
  source,
  notify,
  ...issued
}: NewTicket): TicketRecord {
  return {
    ...issued,
    source: source ?? 'staff',
    ...(notify?.length && { notify }),
    code: ticketCode(prefix, issued.number),
    status: 'waiting',
    customer: customer ?? null,
    note: note ?? null,
    queuedAt: issued.createdAt,
    calledAt: null,
    startedAt: null,
    endedAt: null,
    counterId: null,
    servedBy: null,
    recalls: 0,
    transfers: [],
    feedback: null,
    updatedAt: issued.createdAt,
    issuedQueueId: issued.queueId,
    issuedPriorityId: issued.priorityId,
    firstCall: null,
    place: { entry, inserted: false },
    rev: 0,
  };
}

const INTERNAL: ReadonlyArray<Exclude<keyof TicketRecord, keyof Ticket>> = [
  'rank',
  'targetWaitMinutes',
  'individualPriority',
  'closeEpoch',
  'issuedQueueId',
  'issuedPriorityId',
  'hour',
  'firstCall',
  'place',
  'rev',
  'contactDueAt',
  'contactErasedAt',
  'feedbackComment',
  'notify',
  'pushSubscriptions',
];

export function publicView(record: TicketRecord): Ticket {
  const view: Record<string, unknown> = { ...record };
  for (const key of INTERNAL) delete view[key];
  view.feedback = record.feedback && { ...record.feedback, comment: record.feedbackComment ?? null };
  return view as unknown as Ticket;
}

/** Where a signed-in caller issues a ticket: the kiosk role's sessions are kiosks, anyone else staff. */
export const sourceOfRole = (roleId: string): TicketSource => (roleId === 'kiosk' ? 'kiosk' : 'staff');

// ---- Feedback

/** A done ticket takes feedback this long after it ended. */
export const FEEDBACK_WINDOW_HOURS = 24;
export const FEEDBACK_COMMENT_MAX = 500;

/**
 * Whether the customer can still rate the ticket: `open` (done, no feedback yet, within
 * FEEDBACK_WINDOW_HOURS of its end), `given` (rated already) or `closed` (not done, or too late).
 */
export type FeedbackState = 'open' | 'given' | 'closed';

export function feedbackState(
  ticket: Pick<TicketRecord, 'status' | 'endedAt' | 'feedback'>,
  now: Date,
): FeedbackState {
  if (ticket.feedback) return 'given';
  if (ticket.status !== 'done' || !ticket.endedAt) return 'closed';
  return now.getTime() - Date.parse(ticket.endedAt) <= FEEDBACK_WINDOW_HOURS * 3_600_000 ? 'open' : 'closed';
}
