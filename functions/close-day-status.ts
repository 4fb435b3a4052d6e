import { closeDayStatusRoute } from '#core/contract/routes/day-close/close-day-status';
import { closeProgress } from '#core/usecases/day-close/close-day';
import { endpoint } from './commons/auth';
import { dayCloseContext } from './commons/context';

export const handler = endpoint(closeDayStatusRoute, async (req) => ({
  status: 200,
  body: await closeProgress(dayCloseContext(req), req.params),
}));
