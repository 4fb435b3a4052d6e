/**
 * The product's rules (docs/rules.md) written out as data for the tests — once, and without
 * importing core/: a test that compared the implementation with the implementation's own tables
 * could not fail when both drift from the rules.
 */

/** Times are ISO-8601 UTC with milliseconds. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Ids are ULIDs: 26 characters of Crockford's base 32. */
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const TICKET_STATUSES = [
  'waiting',
  'called',
  'serving',
  'done',
  'no_show',
  'cancelled',
  'expired',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_ACTIONS = ['start', 'complete', 'no-show', 'recall', 'cancel', 'transfer'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** The table of ticket actions: the statuses each is allowed from, and the status it leads to. */
export const TICKET_ACTION_RULES: Record<TicketAction, { from: readonly TicketStatus[]; to: TicketStatus }> =
  {
    start: { from: ['called'], to: 'serving' },
    complete: { from: ['called', 'serving'], to: 'done' },
    'no-show': { from: ['called'], to: 'no_show' },
    recall: { from: ['called'], to: 'called' },
    cancel: { from: ['waiting', 'called'], to: 'cancelled' },
    transfer: { from: ['waiting', 'called', 'serving'], to: 'waiting' },
  };

/** The fields of a ticket as the API shows it, sorted. */
export const TICKET_FIELDS = [
  'branchId',
  'businessDay',
  'calledAt',
  'code',
  'counterId',
  'createdAt',
  'customer',
  'endedAt',
  'feedback',
  'id',
  'note',
  'number',
  'priorityId',
  'publicToken',
  'queueId',
  'queuedAt',
  'recalls',
  'servedBy',
  'source',
  'startedAt',
  'status',
  'transfers',
  'updatedAt',
];

/** The fields of a user as the API shows it, sorted. */
export const USER_FIELDS = [
  'active',
  'branchIds',
  'createdAt',
  'email',
  'fullName',
  'id',
  'roleId',
  'updatedAt',
  'username',
];

const CRUD = ['create', 'read', 'update', 'delete'];

/** The permission catalog. */
export const PERMISSION_CATALOG = [
  ...['users', 'roles', 'priorities', 'branches', 'queues', 'counters'].flatMap((m) =>
    CRUD.map((a) => `${m}:${a}`),
  ),
  'tickets:create',
  'tickets:read',
  'tickets:serve',
  'tickets:cancel',
  'tickets:reassign',
  'reports:read',
];

/** The figures of a report (`Stats`), in the order of the CSV columns. */
export const STAT_FIELDS = [
  'issued',
  'served',
  'noShow',
  'cancelled',
  'expired',
  'avgWaitSeconds',
  'p90WaitSeconds',
  'maxWaitSeconds',
  'avgServiceSeconds',
  'withinTargetPct',
  'feedbackCount',
  'avgRating',
];

/** The CSV header of reports: the key and label, then the figures, the feedback ones last. */
export const REPORT_CSV_HEADER =
  'key,label,issued,served,noShow,cancelled,expired,avgWaitSeconds,p90WaitSeconds,maxWaitSeconds,' +
  'avgServiceSeconds,withinTargetPct,feedbackCount,avgRating';

/** Ticket sources: the kiosk role, any other signed-in user, the public join page. */
export const TICKET_SOURCES = ['kiosk', 'staff', 'remote'];

/** Remote join (rules.md#remote-join): per client address, 3 tickets per 10 minutes. */
export const REMOTE_JOIN_LIMIT = { requests: 3, windowSeconds: 600 };

/** Feedback (rules.md#feedback): a rating 1–5, a comment of at most 500 characters, 24 h after the end. */
export const FEEDBACK_RULES = { minRating: 1, maxRating: 5, commentMax: 500, windowHours: 24 };

/** The figures of a report with no ticket behind them: zero counts, every other figure null. */
export const NO_TICKETS_STATS = {
  issued: 0,
  served: 0,
  noShow: 0,
  cancelled: 0,
  expired: 0,
  avgWaitSeconds: null,
  p90WaitSeconds: null,
  maxWaitSeconds: null,
  avgServiceSeconds: null,
  withinTargetPct: null,
  feedbackCount: 0,
  avgRating: null,
};
