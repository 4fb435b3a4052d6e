import { dynamoReportStore } from '#core/adapters/dynamo/report-store';
import { reportsSummary } from '#core/usecases/reports/summary';
import * as reportRoutes from '#infra/routes/reports';
import { endpoint } from './commons/auth';

export const handler = endpoint(reportRoutes.summary, async (req) => ({
  status: 200,
  body: await reportsSummary({ actor: req.actor, store: dynamoReportStore }, req.query),
}));
