import type { DayAggregate, LabelKind } from '#core/domain/report';

/** A branch as reports name it. */
export interface ReportBranch {
  id: string;
  name: string;
}

/**
 * What the report use cases need from storage (docs/rules.md#reports): aggregates and names,
 * never tickets.
 */
export interface ReportStore {
  /** The branch, or undefined when it is missing, soft-deleted or another tenant's. */
  branch(tenantId: string, branchId: string): Promise<ReportBranch | undefined>;
  /**
   * The branch together with the names of its queues or counters (soft-deleted included), from
   * one read of the branch partition; undefined like `branch`.
   */
  branchWithNames(
    tenantId: string,
    branchId: string,
    kind: 'queue' | 'counter',
  ): Promise<{ branch: ReportBranch; names: Map<string, string> } | undefined>;
  /** The tenant's non-deleted branches. */
  branches(tenantId: string): Promise<ReportBranch[]>;
  /** Every aggregate of the branch for the business days `from`…`to` (both included). */
  aggregates(tenantId: string, branchId: string, from: string, to: string): Promise<DayAggregate[]>;
  /** id → name of every queue, counter, priority or user, soft-deleted ones included. */
  names(tenantId: string, branchId: string, kind: LabelKind): Promise<Map<string, string>>;
}
