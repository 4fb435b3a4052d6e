import { branchTodayRoute } from '#core/contract/routes/reports/branch-today';
import { today } from '#core/usecases/reports/today';
import { endpoint } from './commons/auth';
import { todayContext } from './commons/context';

export const handler = endpoint(branchTodayRoute, async (req) => ({
  status: 200,
  body: await today(todayContext(req), req.params),
}));
