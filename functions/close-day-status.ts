import { dynamoDayCloseStore } from '#core/adapters/dynamo/day-close-store';
import { closeProgress } from '#core/usecases/day-close/close-day';
import * as dayCloseRoutes from '#infra/routes/day-close';
import { endpoint } from './commons/auth';

export const handler = endpoint(dayCloseRoutes.closeDayStatus, async (req) => ({
  status: 200,
  body: await closeProgress({ actor: req.actor, dayClose: dynamoDayCloseStore }, req.params.branchId),
}));
