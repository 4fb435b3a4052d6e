import { BranchParams } from '#core/schemas/common';
import { BranchReport, BranchReportQuery, ReportsSummary, SummaryQuery } from '#core/schemas/reports';
import { route } from './define';

/** Report routes (docs/rules.md#reports): read pre-aggregated figures only. */
export const branchReport = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/branches/{branchId}/report',
  function: 'branch-report',
  summary: 'Service report of a branch for a range of business days (JSON, or CSV with format=csv)',
  tag: 'Reports',
  auth: 'bearer',
  permission: 'reports:read',
  params: BranchParams,
  query: BranchReportQuery,
  responses: () => ({
    200: {
      description:
        'The report. With `format=csv`: `text/csv; charset=utf-8`, header `key,label,issued,…,withinTargetPct`, one row per group, then a `total` row',
      schema: BranchReport(),
      headers: {
        'Content-Disposition':
          'With format=csv: attachment; filename="report-<branch>-<from>-<to>-<groupBy>.csv"',
      },
    },
  }),
});

export const summary = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/reports/summary',
  function: 'reports-summary',
  summary: 'Totals per branch of your scope, and over all of them, for a range of business days',
  tag: 'Reports',
  auth: 'bearer',
  permission: 'reports:read',
  query: SummaryQuery,
  responses: () => ({ 200: { description: 'Totals per branch and overall', schema: ReportsSummary() } }),
});

/** The area's entries, for the table (index.ts); a function imports its own entry alone. */
export const reportRoutes = { branchReport, summary };
