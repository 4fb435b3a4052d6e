import { buildReport, type GroupBy, labelKindOf, type ReportBody } from '#core/domain/report';
import { inBranchScope } from '#core/usecases/scope';
import { assertRange, type ReportContext, type ReportRange } from './context';

export interface BranchReportInput extends ReportRange {
  branchId: string;
  groupBy: GroupBy;
}

export interface BranchReport extends ReportBody {
  branchId: string;
  from: string;
  to: string;
  groupBy: GroupBy;
}

/**
 * A branch's report (docs/rules.md#reports), in parallel: the branch (404, then 403 out of
 * scope), one Query of its aggregates for the range and — only for groupings labelled by name —
 * the names; queue and counter names come with the branch from one read of its partition, so
 * every grouping but priority and agent takes two requests. Never reads tickets: the cost grows
 * with days × groups.
 */
export async function branchReport(ctx: ReportContext, input: BranchReportInput): Promise<BranchReport> {
  assertRange(input);
  const { tenantId } = ctx.actor;
  const { branchId, from, to, groupBy } = input;
  const kind = labelKindOf(groupBy);
  const inBranch = kind === 'queue' || kind === 'counter' ? kind : undefined;
  const [found, items, otherNames] = await Promise.all([
    inBranch
      ? ctx.reports.branchWithNames(tenantId, branchId, inBranch)
      : ctx.reports.branch(tenantId, branchId).then((branch) => branch && { branch, names: undefined }),
    ctx.reports.aggregates(tenantId, branchId, from, to),
    kind && !inBranch ? ctx.reports.names(tenantId, branchId, kind) : undefined,
  ]);
  const { names } = await inBranchScope(ctx.actor, branchId, found);
  return { branchId, from, to, groupBy, ...buildReport(items, groupBy, names ?? otherNames) };
}
