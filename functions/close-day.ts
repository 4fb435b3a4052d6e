import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { closeDayRoute } from '#core/contract/routes/day-close/close-day';
import { closeDay } from '#core/usecases/day-close/close-day';
import { timeBudget } from '#core/usecases/day-close/expire-open';
import { endpoint } from './commons/auth';
import { dayCloseContext } from './commons/context';
import { continueClose } from './commons/day-close';
import { requestMetrics } from './commons/metrics';

/**
 * How long a request works on a close before it answers 202 and lets the rest run in the
 * background: well inside the 15 s function timeout and the 10 s in which a request answers
 * whatever the database does. `CLOSE_DAY_BUDGET_MS` overrides it (tests, benchmarks).
 */
const budgetMs = () => Number(process.env.CLOSE_DAY_BUDGET_MS ?? 5_000);

export const handler = endpoint(
  closeDayRoute,
  async (req) => {
    const { branchId } = req.params;
    const outcome = await closeDay(dayCloseContext(req), { branchId, budget: timeBudget(budgetMs()) });
    if (outcome.done) {
      req.metrics?.record('DayCloseDone');
      return { status: 200, body: outcome.closed };
    }
    try {
      await continueClose({ tenantId: req.actor.tenantId, branchId });
    } catch (error) {
      // The close stays recorded as pending: the hourly job finishes it.
      req.log.warn('could not hand the close on', { branchId, error: (error as Error).name });
    }
    return {
      status: 202,
      body: outcome.progress,
      headers: { location: `/v1/branches/${branchId}/close-day` },
    };
  },
  { idempotency: dynamoIdempotencyStore, metrics: requestMetrics },
);
