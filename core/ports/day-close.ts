/** What closing business days needs from storage (SPEC §7). */
export interface DueBranch {
  tenantId: string;
  branchId: string;
  /** The `due` index sort key as read: marking the branch closed is conditional on it. */
  dueSk: string;
}

export interface DayCloseStore {
  /** Ids of the branch's unfinished tickets whose business day is before `beforeDay`. */
  openTicketIds(tenantId: string, branchId: string, beforeDay: string): Promise<string[]>;
  /** Restarts numbering (manual close): false when another close bumped it first. */
  bumpCloseEpoch(tenantId: string, branchId: string, expected: number, now: Date): Promise<boolean>;
  /** Branches whose close is due at `at`, across tenants, from the `due` index. */
  dueBranches(at: Date): Promise<DueBranch[]>;
  /** Merges the aggregate items of every day before `beforeDay` into day rollups. */
  rollUpDaysBefore(tenantId: string, branchId: string, beforeDay: string): Promise<number>;
  /** Records the close and moves the branch's due entry; false when another run did it first. */
  markClosed(
    branch: DueBranch,
    closed: { lastClosedDay: string; nextDueAt: Date; now: Date },
  ): Promise<boolean>;
}
