import { dynamoDayCloseStore } from '#core/adapters/dynamo/day-close-store';
import { closeDayStatusRoute } from '#core/contract/routes/day-close/close-day-status';
import { closeProgress } from '#core/usecases/day-close/close-day';
import { endpoint } from './commons/auth';

export const handler = endpoint(closeDayStatusRoute, async (req) => ({
  status: 200,
  body: await closeProgress({ actor: req.actor, dayClose: dynamoDayCloseStore }, req.params.branchId),
}));
