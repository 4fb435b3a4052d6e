/** Who a user is on the manager's "today" screen. */
export interface Agent {
  id: string;
  fullName: string;
}

/**
 * What the manager's "today" needs besides the branch setup, the waiting index and the day's
 * aggregates: reads bounded by the setup (priorities, counters), never by the tickets.
 */
export interface TodayStore {
  /** Per priority rank in use, the smallest target wait (minutes) of the tenant's priorities of that rank. */
  targetsByRank(tenantId: string): Promise<Map<number, number>>;
  /** Per ticket id, the user serving it (soft-deleted users keep their name); tickets without one are left out. */
  servers(tenantId: string, ticketIds: readonly string[]): Promise<Map<string, Agent>>;
}
