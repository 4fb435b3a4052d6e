import { closeProgress } from '#core/usecases/day-close/close-day';
import * as dayCloseRoutes from '#infra/routes/day-close';
import { endpoint } from './commons/auth';
import { dayCloseContext } from './commons/context';

export const handler = endpoint(dayCloseRoutes.closeDayStatus, async (req) => ({
  status: 200,
  body: await closeProgress(dayCloseContext(req), req.params),
}));
