import { ConflictError } from '#core/domain/errors';
import type { Branch, BranchSetup, Counter, Priority, Queue, QueueLive } from '#core/domain/setup';
import type { Page, PageRequest } from './page';

/**
 * Ports of organisation setup (docs/rules.md#organisation-setup): what the setup use cases need
 * from storage.
 */

/**
 * A conditional write found that what the use case read has changed meanwhile (a concurrent
 * edit). The use case reads again and retries; when that keeps happening the client gets a 409.
 */
export class StaleReadError extends ConflictError {
  constructor() {
    super('concurrent-update', 'The resource was changed by another request; retry');
  }
}

export type PriorityChanges = Partial<
  Pick<Priority, 'name' | 'rank' | 'targetWaitMinutes' | 'color' | 'description'>
>;

/**
 * `version` grows with every change of a priority; queues copy rank and target together with
 * the version they copied, so that a late or repeated copy never overwrites a newer one.
 */
export interface PriorityVersion {
  priority: Priority;
  version: number;
}

export interface PriorityStore {
  create(tenantId: string, priority: Priority): Promise<void>;
  /** A non-deleted priority. */
  get(tenantId: string, priorityId: string): Promise<PriorityVersion | undefined>;
  /** Non-deleted priorities by rank (ties: oldest first). */
  list(tenantId: string, page: PageRequest): Promise<Page<Priority>>;
  /** NotFoundError when missing or deleted. `queueCount`: the queues that use it. */
  update(
    tenantId: string,
    priorityId: string,
    changes: PriorityChanges,
    now: Date,
  ): Promise<PriorityVersion & { queueCount: number }>;
  /** Copies rank and target into every queue that uses the priority. */
  syncQueues(tenantId: string, updated: PriorityVersion & { queueCount: number }): Promise<void>;
  /** NotFoundError when missing or deleted; ConflictError while a queue uses it. */
  delete(tenantId: string, priorityId: string, now: Date): Promise<void>;
}

/** Reads a whole branch setup (branch, queues with live figures, counters) in one go. */
export interface SetupStore {
  /** NotFoundError when the branch is missing, deleted or another tenant's. */
  load(tenantId: string, branchId: string): Promise<BranchSetup>;
  /** Pages a list read in full from a setup; `list` names it, so its cursors fit no other list. */
  pageOf<T extends { id: string; createdAt: string }>(
    items: readonly T[],
    list: string,
    page: PageRequest,
  ): Page<T>;
}

export type BranchChanges = Partial<
  Pick<
    Branch,
    | 'name'
    | 'timezone'
    | 'resetHour'
    | 'agingMinutes'
    | 'address'
    | 'language'
    | 'printTickets'
    | 'notifyAtPosition'
    | 'remoteJoin'
    | 'contactRetentionHours'
  >
>;

export interface BranchStore {
  /** `dueAt`: when its current business day ends (the nightly close's work list). */
  create(tenantId: string, branch: Branch, dueAt: Date): Promise<void>;
  /** A non-deleted branch with its scheduled close. */
  get(tenantId: string, branchId: string): Promise<{ branch: Branch; dueAt: Date | null } | undefined>;
  /** Non-deleted branches, oldest first: all of them, or only those of `scope`. */
  list(tenantId: string, scope: 'all' | readonly string[], page: PageRequest): Promise<Page<Branch>>;
  /** NotFoundError when missing or deleted; `dueAt` reschedules its close. */
  update(
    tenantId: string,
    branchId: string,
    changes: BranchChanges,
    now: Date,
    dueAt?: Date,
  ): Promise<Branch>;
  /** Soft-deletes the branch together with the queues and counters of `setup`, at once. */
  delete(tenantId: string, setup: BranchSetup, now: Date): Promise<void>;
}

export interface QueueStore {
  /** The priority a queue is to use (PriorityStore.get, here so that queue use cases need no other store). */
  getPriority(tenantId: string, priorityId: string): Promise<PriorityVersion | undefined>;
  /**
   * Claims the prefix in the branch (ConflictError when taken) and registers the queue with its
   * priority, whose `version` must still be `priorityVersion` (StaleReadError otherwise).
   */
  create(tenantId: string, queue: Queue, priorityVersion: number): Promise<void>;
  /** Moves the prefix claim and the priority registration when they change. */
  update(tenantId: string, before: Queue, after: Queue, priorityVersion?: number): Promise<void>;
  /**
   * StaleReadError when a counter took the queue among its own meanwhile, or its waiting tickets
   * changed since `live` was read (a ticket may have arrived).
   */
  delete(tenantId: string, queue: Queue & { live: QueueLive }, now: Date): Promise<void>;
}

export interface CounterStore {
  /** StaleReadError when one of its queues was deleted meanwhile. */
  create(tenantId: string, counter: Counter): Promise<void>;
  update(tenantId: string, before: Counter, after: Counter): Promise<void>;
  /** StaleReadError when the counter called a ticket meanwhile. */
  delete(tenantId: string, counter: Counter, now: Date): Promise<void>;
}
