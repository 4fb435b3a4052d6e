import { CLOSE_BRANCH, timeoutSeconds } from './functions';
import { lambda } from './lambda';
import { table } from './storage';

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
  visibilityTimeout: `${6 * timeoutSeconds(CLOSE_BRANCH)} seconds`,
  dlq: { queue: closeDeadLetters.arn, retry: 3 },
});

/** Sending to the queue, and nothing else of it (the subscriber's receive rights come with the subscription). */
export const sendToCloseQueue = { actions: ['sqs:SendMessage'], resources: [closeQueue.arn] };

closeQueue.subscribe(
  lambda(CLOSE_BRANCH, {
    environment: { TABLE_NAME: table.name, CLOSE_QUEUE_URL: closeQueue.url },
    permissions: [
      {
        // What a branch's close reads and writes: its setup, its open tickets (the `open` index),
        // the tickets, counters, live counts, numbering and aggregates it changes.
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        resources: [table.arn, $interpolate`${table.arn}/index/open`],
      },
      sendToCloseQueue,
    ],
  }),
  { batch: { size: 10, partialResponses: true } },
);
