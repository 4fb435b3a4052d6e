import type { BranchSetup } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import type { TicketChange } from '#core/domain/ticket-changes';

/** What closing business days needs from storage (docs/rules.md#day-close). */
export interface BranchRef {
  tenantId: string;
  branchId: string;
}

export interface DueBranch extends BranchRef {
  /** The `due` index sort key as read: marking the branch closed is conditional on it. */
  dueSk: string;
}

export interface CloseCounts {
  /** Waiting and called tickets that became `expired`. */
  expired: number;
  /** Serving tickets that became `done`. */
  finished: number;
}

/**
 * A manual close, recorded on the branch before its first ticket is touched and until numbering
 * has restarted: whoever finds it there (a retried request, the background run, the hourly job)
 * finishes it. The counts are what the runs so far have ended.
 */
export interface PendingClose extends CloseCounts {
  id: string;
  businessDay: string;
  /** The close epoch being closed: numbering restarts under `epoch + 1`. */
  epoch: number;
  startedAt: string;
}

export interface FinishedClose extends PendingClose {
  closedAt: string;
}

/** The branch's close bookkeeping, read consistently. */
export interface CloseState {
  closeEpoch: number;
  lastClosedDay: string | null;
  /** The `due` index entry: the branch's nightly close is due from `dueAt` on. */
  due: { dueSk: string; dueAt: string } | null;
  closing: PendingClose | null;
  lastClose: FinishedClose | null;
  /** The branch's `contactRetentionHours`, for the tickets a close ends. */
  contactRetentionHours: number;
}

export interface DayCloseStore {
  /** Undefined when the branch is missing or deleted. */
  closeState(tenantId: string, branchId: string): Promise<CloseState | undefined>;
  /**
   * The branch's unfinished tickets (only those of business days before `beforeDay` when
   * given), read consistently, a batch at a time.
   */
  openTickets(tenantId: string, branchId: string, beforeDay?: string): AsyncIterable<TicketRecord[]>;
  /**
   * Applies the expiries of several tickets (waiting or called, at most one per counter) in as
   * few transactions as fit; returns those not applied, because one of their transaction lost a
   * race (a ticket or counter changed) — to be ended one by one.
   */
  expireTogether(tenantId: string, changes: readonly TicketChange[]): Promise<TicketChange[]>;
  /**
   * Records a manual close as pending (and brings the branch's due entry forward to its start,
   * so that the hourly job finishes it if nobody else does). False when a close is already
   * pending or the branch changed since `seen`.
   */
  startClose(tenantId: string, branchId: string, close: PendingClose, seen: CloseState): Promise<boolean>;
  /** Adds what a run ended to the pending close; false when that close is no longer pending. */
  addProgress(tenantId: string, branchId: string, closeId: string, counts: CloseCounts): Promise<boolean>;
  /**
   * Finishes a pending close in one transaction: every live queue's numbering restarts under
   * the next close epoch, the branch moves to that epoch and records the close as its last one —
   * on condition that the numbering, the queues and the close are still as in `setup` and
   * `close`. False when something changed (a ticket was issued, a queue created, the close
   * finished elsewhere).
   */
  restartNumbering(
    tenantId: string,
    branchId: string,
    close: PendingClose,
    setup: BranchSetup,
    now: Date,
  ): Promise<boolean>;
  /** Branches whose close is due at `at`, across tenants, from the `due` index. */
  dueBranches(at: Date): Promise<DueBranch[]>;
  /**
   * Merges the aggregate items of the business days from `from` (from the start when null) to
   * `to`, both included, into day rollups; reads those days' items only. Returns the days seen.
   */
  rollUpDays(tenantId: string, branchId: string, from: string | null, to: string): Promise<number>;
  /** Records the close and moves the branch's due entry; false when another run did it first. */
  markClosed(
    branch: DueBranch,
    closed: { lastClosedDay: string; nextDueAt: Date; now: Date },
  ): Promise<boolean>;
}
