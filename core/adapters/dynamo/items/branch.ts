import type { Branch } from '#core/domain/setup';
import {
  DEFAULT_BRANCH_LANGUAGE,
  DEFAULT_CONTACT_RETENTION_HOURS,
  DEFAULT_NOTIFY_AT_POSITION,
} from '#core/domain/setup-rules';

/** The branch partition holds the branch, its queues, counters and live shards under `A#`. */
export const branchPartition = (tenantId: string, branchId: string) => `T#${tenantId}#B#${branchId}`;
export const SETUP_PREFIX = 'A#';
export const BRANCH_SORT_KEY = 'A#BRANCH';

export const branchKey = (tenantId: string, branchId: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: BRANCH_SORT_KEY,
});

/**
 * The branch's waiting remote tickets (`n`), kept by the transactions of the tickets themselves:
 * a remote join adds one on condition that `n` is under the branch's `remoteJoin.maxWaiting`.
 * Under SETUP_PREFIX, so the branch's setup read brings it along.
 */
export const REMOTE_WAITING_SORT_KEY = 'A#REMOTE';
export const remoteWaitingKey = (tenantId: string, branchId: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: REMOTE_WAITING_SORT_KEY,
});

/**
 * A branch's public handle: its id alone, from the join page's URL, names the tenant. The item
 * exists exactly while the branch is live with remote join on (written and removed with the
 * branch's own changes), so no other branch can be reached by its id.
 */
export const publicBranchKey = (branchId: string) => ({ pk: `JOIN#${branchId}`, sk: 'JOIN' });

/** `refs` index entry listing the tenant's (non-deleted) branches. */
export const branchesRef = (tenantId: string) => `T#${tenantId}#BRANCHES`;

/** `due` index entry: when the branch's current business day ends, `<ISO instant>#<tenant>#<branch>`. */
export const DUE_PARTITION = 'DUE';
export const dueSortKey = (dueAt: Date, tenantId: string, branchId: string) =>
  `${dueAt.toISOString()}#${tenantId}#${branchId}`;

/** The `due` sort keys of every branch due at `at` or before: those up to this one. */
export const dueUntil = (at: Date) => `${at.toISOString()}#~`;

/** What a `due` sort key says: when (an ISO instant), and which branch. */
export function dueEntryOf(dueSk: string): { dueAt: string; tenantId: string; branchId: string } {
  const [dueAt, tenantId, branchId] = dueSk.split('#') as [string, string, string];
  return { dueAt, tenantId, branchId };
}

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
    language: i.language ?? DEFAULT_BRANCH_LANGUAGE,
    printTickets: i.printTickets ?? false,
    notifyAtPosition: i.notifyAtPosition ?? DEFAULT_NOTIFY_AT_POSITION,
    remoteJoin: { enabled: i.remoteJoin?.enabled ?? false, maxWaiting: i.remoteJoin?.maxWaiting ?? null },
    contactRetentionHours: i.contactRetentionHours ?? DEFAULT_CONTACT_RETENTION_HOURS,
    closeEpoch: i.closeEpoch ?? 0,
    lastClosedDay: i.lastClosedDay ?? null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

/** The tenant and branch a branch-partition key names, or undefined for any other key. */
export function branchOfPartition(pk: string): { tenantId: string; branchId: string } | undefined {
  const match = /^T#([^#]+)#B#([^#]+)$/.exec(pk);
  return match ? { tenantId: match[1]!, branchId: match[2]! } : undefined;
}
