import type { Priority } from '../domain/setup';
import type { TicketRecord, TicketStatus } from '../domain/ticket';
import type { TicketChange } from '../domain/ticket-changes';

/** A TicketChange lost a race: its ticket or its counter is no longer what it was computed from. */
export class WriteConflict extends Error {
  constructor(
    readonly part: 'ticket' | 'counter' | 'numbering',
    readonly current?: Record<string, unknown>,
  ) {
    super(`${part} changed concurrently`);
    this.name = 'WriteConflict';
  }
}

/**
 * How long after a change `waiting` may still answer as before it: the waiting index is
 * eventually consistent (a DynamoDB GSI typically catches up within a second; this leaves a
 * wide margin). A queue's live counts, read consistently, change with the tickets themselves.
 */
export const INDEX_SETTLE_MS = 10_000;

export interface TicketPage {
  items: TicketRecord[];
  nextCursor: string | null;
}

export interface TicketStore {
  /**
   * Takes the queue's next number atomically, if its numbering is for `day` and `epoch`
   * (undefined otherwise: the first number of a day is claimed by the issuing transaction).
   */
  reserveNumber(
    tenantId: string,
    branchId: string,
    queueId: string,
    day: string,
    epoch: number,
  ): Promise<number | undefined>;
  get(tenantId: string, ticketId: string): Promise<TicketRecord | undefined>;
  /**
   * The first `limit` waiting tickets of a queue × rank, in arrival order (or newest first),
   * from the waiting index: eventually consistent (see INDEX_SETTLE_MS).
   */
  waiting(
    tenantId: string,
    queueId: string,
    rank: number,
    options: { limit?: number; newestFirst?: boolean },
  ): Promise<TicketRecord[]>;
  /** How many waiting tickets of a queue × rank sort below `bound` (waiting sort key). */
  countWaitingBelow(tenantId: string, queueId: string, rank: number, bound: string): Promise<number>;
  /** Applies one TicketChange atomically, or throws WriteConflict. */
  apply(tenantId: string, change: TicketChange): Promise<void>;
  /**
   * A page of a business day's tickets. It stops reading after a bounded number of items (a
   * filter may match few of them), so it may hold fewer than `limit` and still a `nextCursor`.
   */
  listByDay(
    tenantId: string,
    branchId: string,
    day: string,
    filter: { status?: TicketStatus; queueId?: string },
    page: { limit: number; cursor?: string },
  ): Promise<TicketPage>;
  getPriority(tenantId: string, priorityId: string): Promise<Priority | undefined>;
}
