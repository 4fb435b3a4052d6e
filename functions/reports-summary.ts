import { reportsSummaryRoute } from '#core/contract/routes/reports/reports-summary';
import { reportsSummary } from '#core/usecases/reports/summary';
import { endpoint } from './commons/auth';
import { reportContext } from './commons/context';

export const handler = endpoint(reportsSummaryRoute, async (req) => ({
  status: 200,
  body: await reportsSummary(reportContext(req), req.query),
}));
