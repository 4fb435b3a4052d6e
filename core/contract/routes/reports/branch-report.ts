import { route } from '#core/contract/define';
import { branchParams } from '#core/contract/schemas/common';
import { branchReportQuery } from '#core/contract/schemas/requests/reports';

/** Reports read pre-aggregated figures only. */
export const branchReportRoute = route({
  method: 'GET',
  path: '/v1/branches/{branchId}/report',
  function: 'branch-report',
  summary: 'Service report of a branch for a range of business days (JSON, or CSV with format=csv)',
  tag: 'Reports',
  auth: 'bearer',
  permission: 'reports:read',
  params: branchParams(),
  query: branchReportQuery(),
  responses: {
    200: {
      description:
        'The report. With `format=csv`: `text/csv; charset=utf-8`, header `key,label,issued,…,withinTargetPct,feedbackCount,avgRating`, one row per group, then a `total` row',
      schema: 'BranchReport',
      headers: {
        'Content-Disposition':
          'With format=csv: attachment; filename="report-<branch>-<from>-<to>-<groupBy>.csv"',
      },
    },
  },
});
