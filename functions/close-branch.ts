import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseCloseMessage } from '#core/adapters/queue/close-queue';
import { closeBranchJob } from '#core/contract/jobs';
import { timeBudget } from '#core/usecases/day-close/expire-open';
import { CloseStalled, closeBranch } from '#core/usecases/day-close/nightly-reset';
import { dayCloseContext } from './commons/context';
import { continueClose, countClosesDone, logCloseFailure } from './commons/day-close';
import { logger } from './commons/logger';
import { requestMetrics } from './commons/metrics';
import { runAs } from './commons/running';

/** Time kept back from the function's timeout for handing a close on and answering. */
const MARGIN_MS = 10_000;
const DEFAULT_BUDGET_MS = 30_000;

/**
 * The day-close queue's subscriber (infra/queue.ts): one message per branch, from the hourly
 * job (functions/nightly-reset.ts) or from a manual close that outlasted its request. The
 * records of a batch close in parallel, each isolated: a failed one is logged, counted and
 * reported in `batchItemFailures`, so SQS retries only it (and, after its retries, moves it to
 * the dead-letter queue); its due entry stays, so the hourly job also tries it again. A close
 * that runs out of time after making progress goes on in a new message. The batch's closes
 * done and failed go out as one EMF line.
 */
export const handler = runAs(closeBranchJob, closeBatch);

async function closeBatch(event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) {
  const budgetMs = Math.max(
    1_000,
    (context?.getRemainingTimeInMillis() ?? DEFAULT_BUDGET_MS + MARGIN_MS) - MARGIN_MS,
  );
  const failures: SQSBatchItemFailure[] = [];
  const metrics = requestMetrics();
  let closed = 0;
  let manual = 0;
  await Promise.all(
    event.Records.map(async (record) => {
      const message = parseCloseMessage(record.body);
      if (!message) {
        logger.error('day close: not a day-close message', { messageId: record.messageId });
        failures.push({ itemIdentifier: record.messageId });
        return;
      }
      try {
        const run = await closeBranch(
          dayCloseContext({ now: message.at ? new Date(message.at) : new Date() }),
          {
            ...message,
            budget: timeBudget(budgetMs),
          },
        );
        if (run.manual) manual++;
        if (run.status === 'more') {
          if (!run.progressed) throw new CloseStalled();
          await continueClose(message);
        } else if (run.closed) closed++;
      } catch (error) {
        logCloseFailure(message, error, metrics);
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  countClosesDone(metrics, closed + manual);
  metrics.publish();
  logger.info('day-close batch', { messages: event.Records.length, closed, failed: failures.length });
  return { batchItemFailures: failures } satisfies SQSBatchResponse;
}
