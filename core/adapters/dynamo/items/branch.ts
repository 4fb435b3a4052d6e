import type { Branch } from '#core/domain/setup';

/** The branch partition holds the branch, its queues, counters and live shards under `A#`. */
export const branchPartition = (tenantId: string, branchId: string) => `T#${tenantId}#B#${branchId}`;
export const SETUP_PREFIX = 'A#';

export const branchKey = (tenantId: string, branchId: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: 'A#BRANCH',
});

/** `refs` index entry listing the tenant's (non-deleted) branches. */
export const branchesRef = (tenantId: string) => `T#${tenantId}#BRANCHES`;

/** `due` index entry: when the branch's current business day ends. */
export const DUE_PARTITION = 'DUE';
export const dueSortKey = (dueAt: Date, tenantId: string, branchId: string) =>
  `${dueAt.toISOString()}#${tenantId}#${branchId}`;

export interface BranchItem extends Branch {
  pk: string;
  sk: string;
  type: 'branch';
  tenantId: string;
  deletedAt?: string;
  /** Live queues of the branch, kept by the queues' transactions: a branch delete checks it missed none. */
  queueCount?: number;
  refPk?: string;
  refSk?: string;
  duePk?: string;
  dueSk?: string;
}

export function branchFromItem(item: Record<string, unknown>): Branch {
  const i = item as unknown as BranchItem;
  return {
    id: i.id,
    name: i.name,
    timezone: i.timezone,
    resetHour: i.resetHour,
    agingMinutes: i.agingMinutes,
    address: i.address ?? null,
    closeEpoch: i.closeEpoch ?? 0,
    lastClosedDay: i.lastClosedDay ?? null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}
