import { dynamoReportStore } from '#core/adapters/dynamo/report-store';
import { reportsSummaryRoute } from '#core/contract/routes/reports/reports-summary';
import { reportsSummary } from '#core/usecases/reports/summary';
import { endpoint } from './commons/auth';

export const handler = endpoint(reportsSummaryRoute, async (req) => ({
  status: 200,
  body: await reportsSummary({ actor: req.actor, store: dynamoReportStore }, req.query),
}));
