import { reportsSummary } from '#core/usecases/reports/summary';
import * as reportRoutes from '#infra/routes/reports';
import { endpoint } from './commons/auth';
import { reportContext } from './commons/context';

export const handler = endpoint(reportRoutes.summary, async (req) => ({
  status: 200,
  body: await reportsSummary(reportContext(req), req.query),
}));
