import { route } from '#core/contract/define';
import { summaryQuery } from '#core/contract/schemas/requests/reports';

export const reportsSummaryRoute = route({
  method: 'GET',
  path: '/v1/reports/summary',
  function: 'reports-summary',
  summary: 'Totals per branch of your scope, and over all of them, for a range of business days',
  tag: 'Reports',
  auth: 'bearer',
  permission: 'reports:read',
  query: summaryQuery(),
  responses: { 200: { description: 'Totals per branch and overall', schema: 'ReportsSummary' } },
});
