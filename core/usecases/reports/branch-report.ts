import { assertBranchScope } from '../../domain/actor';
import { NotFoundError } from '../../domain/errors';
import { buildReport, type GroupBy, labelKindOf, type ReportBody } from '../../domain/report';
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
 * A branch's report (SPEC §7): the branch (404, then 403 out of scope), then in parallel one
 * Query of its aggregates for the range and — only for groupings labelled by name — one Query
 * of the names. Never reads tickets: the cost grows with days × groups.
 */
export async function branchReport(ctx: ReportContext, input: BranchReportInput): Promise<BranchReport> {
  assertRange(input);
  const { tenantId } = ctx.actor;
  const { branchId, from, to, groupBy } = input;
  const branch = await ctx.store.branch(tenantId, branchId);
  if (!branch) throw new NotFoundError('Branch');
  assertBranchScope(ctx.actor, branchId);
  const kind = labelKindOf(groupBy);
  const [items, names] = await Promise.all([
    ctx.store.aggregates(tenantId, branchId, from, to),
    kind ? ctx.store.names(tenantId, branchId, kind) : undefined,
  ]);
  return { branchId, from, to, groupBy, ...buildReport(items, groupBy, names) };
}
