import { canAccessBranch } from '#core/domain/actor';
import { collectFigures, type Figures, mergeFigures, type Stats, statsOf } from '#core/domain/report';
import type { ReportBranch } from '#core/ports/reports';
import { assertRange, type ReportContext, type ReportRange } from './context';

/** Aggregate Queries in flight at once: enough to hide latency, few enough to stay polite. */
export const SUMMARY_PARALLELISM = 8;

export interface ReportsSummary {
  from: string;
  to: string;
  totals: Stats;
  branches: Array<{ branchId: string; name: string } & Stats>;
}

/** Runs `fn` over `items` with at most `limit` calls pending; results keep the input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const byName = (a: ReportBranch, b: ReportBranch) =>
  a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Totals per branch of the actor's scope (the tenant's non-deleted branches it may access),
 * sorted by name, and over all of them. The overall totals merge the branches' raw figures
 * (sums, counts, histograms, maxima) — never averages of averages.
 */
export async function reportsSummary(ctx: ReportContext, range: ReportRange): Promise<ReportsSummary> {
  assertRange(range);
  const { tenantId, branches: scope } = ctx.actor;
  const branches = (await ctx.reports.branches(tenantId))
    .filter((b) => canAccessBranch(scope, b.id))
    .sort(byName);
  const figures = await mapBounded(
    branches,
    SUMMARY_PARALLELISM,
    async (b) =>
      collectFigures(await ctx.reports.aggregates(tenantId, b.id, range.from, range.to), null).totals,
  );
  const all: Figures = {};
  for (const f of figures) mergeFigures(all, f);
  return {
    from: range.from,
    to: range.to,
    totals: statsOf(all),
    branches: branches.map((b, i) => ({ branchId: b.id, name: b.name, ...statsOf(figures[i]!) })),
  };
}
