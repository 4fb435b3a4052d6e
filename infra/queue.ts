import { closeBranchJob } from '#core/contract/functions';
import { timeoutSeconds } from './functions';

/**
 * The day-close queue: one message per branch whose close should run — every due branch of an
 * hourly run (infra/cron.ts), and a manual close that outlasted its request (close-day) — so
 * branches close in parallel and in isolation. Its subscriber, functions/close-branch.ts, takes
 * up to 10 messages at once and reports failed ones alone (partial batch responses); a message
 * that failed 3 times moves to the dead-letter queue, and the branch's due entry stays, so the
 * next hourly run tries it again. The visibility timeout is six times the subscriber's timeout,
 * as Lambda advises for SQS sources. The dead-letter queue also takes the nightly runs that
 * failed (infra/cron.ts); a message in it raises an alarm (infra/alarms.ts).
 */
export function createCloseQueues() {
  const closeDeadLetters = new sst.aws.Queue('DayCloseDeadLetters');
  const closeQueue = new sst.aws.Queue('DayCloseQueue', {
    visibilityTimeout: `${6 * timeoutSeconds(closeBranchJob.function)} seconds`,
    dlq: { queue: closeDeadLetters.arn, retry: 3 },
  });
  return { closeQueue, closeDeadLetters };
}
