import type { Claim, Sequence } from '#core/domain/numbering';
import type { Numbering, Priority } from '#core/domain/setup';
import type { TicketRecord, TicketStatus } from '#core/domain/ticket';
import type { TicketChange } from '#core/domain/ticket-changes';

/**
 * A TicketChange lost a race: its ticket, its counter or the queue's numbering is no longer what
 * it was computed from, or (`queue`) the queue it puts the ticket in no longer accepts it, or
 * (`remote`) the branch already holds its `remoteJoin.maxWaiting` waiting remote tickets.
 */
export class WriteConflict extends Error {
  constructor(
    readonly part: 'ticket' | 'counter' | 'numbering' | 'queue' | 'remote',
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
   * Takes the queue's next number, entry of `rank`'s line and `queuedAt` (`now`, or the queue's
   * last one when later) in one atomic update, if its numbering is in `seq`; otherwise returns
   * the numbering as it is (the first number of a sequence is claimed by the issuing transaction).
   */
  reserveNumber(
    tenantId: string,
    branchId: string,
    queueId: string,
    seq: Sequence,
    rank: number,
    now: Date,
  ): Promise<{ claim: Claim } | { current: Numbering | null }>;
  /**
   * Gives back a reserved number whose ticket was not written: undone if nothing was reserved
   * after it, else its entry is marked as left (the number stays a gap).
   */
  releaseNumber(
    tenantId: string,
    branchId: string,
    queueId: string,
    rank: number,
    claim: Claim,
  ): Promise<void>;
  get(tenantId: string, ticketId: string): Promise<TicketRecord | undefined>;
  /**
   * The first `limit` waiting tickets of a queue × rank, in arrival order (or newest first),
   * from the waiting index: eventually consistent (see INDEX_SETTLE_MS). `before`: only those
   * whose waiting sort key is below it.
   */
  waiting(
    tenantId: string,
    queueId: string,
    rank: number,
    options: { limit?: number; newestFirst?: boolean; before?: string },
  ): Promise<TicketRecord[]>;
  /** The first waiting ticket of a queue × rank whose waiting sort key is above `key`. */
  firstWaitingAfter(
    tenantId: string,
    queueId: string,
    rank: number,
    key: string,
  ): Promise<TicketRecord | undefined>;
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
