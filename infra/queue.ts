import type { FunctionDef } from '#core/contract/define';
import { closeBranchJob } from '#core/contract/functions';
import { timeoutSeconds } from './functions';
import { lambda } from './lambda';
import { table, tableAccess } from './storage';

/**
 * The day-close queue: one message per branch whose close should run — every due branch of an
 * hourly run (infra/cron.ts), and a manual close that outlasted its request (close-day) — so
 * branches close in parallel and in isolation. Its subscriber, functions/close-branch.ts, takes
 * up to 10 messages at once and reports failed ones alone (partial batch responses); a message
 * that failed 3 times moves to the dead-letter queue, and the branch's due entry stays, so the
 * next hourly run tries it again. The visibility timeout is six times the subscriber's timeout,
 * as Lambda advises for SQS sources.
 */
export const closeDeadLetters = new sst.aws.Queue('DayCloseDeadLetters');

export const closeQueue = new sst.aws.Queue('DayCloseQueue', {
  visibilityTimeout: `${6 * timeoutSeconds(closeBranchJob.function)} seconds`,
  dlq: { queue: closeDeadLetters.arn, retry: 3 },
});

/** Sending to the queue, and nothing else of it (the subscriber's receive rights come with the subscription). */
export const sendToCloseQueue = { actions: ['sqs:SendMessage'], resources: [closeQueue.arn] };

/** A day-close job (not a route): the table's name and its own access to it, and the queue if it sends. */
export function dayCloseJob(job: FunctionDef) {
  const { dynamo, sendsToCloseQueue } = job.deploy ?? {};
  return lambda(job.function, {
    environment: { TABLE_NAME: table.name, ...(sendsToCloseQueue && { CLOSE_QUEUE_URL: closeQueue.url }) },
    permissions: [...(dynamo ? [tableAccess(dynamo)] : []), ...(sendsToCloseQueue ? [sendToCloseQueue] : [])],
  });
}

closeQueue.subscribe(dayCloseJob(closeBranchJob), { batch: { size: 10, partialResponses: true } });
