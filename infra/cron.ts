import { nightlyResetJob } from '#core/contract/functions';
import { closeDeadLetters, dayCloseJob } from './queue';

/**
 * The nightly reset: EventBridge Scheduler invokes functions/nightly-reset.ts at five past every
 * hour (UTC); each branch closes at its own local `resetHour`, so the job finds whichever
 * branches are due and queues one message each (infra/queue.ts). The payload carries the
 * instant the run is for, which stays the same on retries, so a retried run is the same logical
 * run (the close is idempotent); a run that still fails lands in the dead-letter queue.
 */
export const nightlyReset = new sst.aws.CronV2('NightlyReset', {
  schedule: 'cron(5 * * * ? *)',
  event: { scheduledTime: '<aws.scheduler.scheduled-time>' },
  retries: 2,
  dlq: closeDeadLetters.arn,
  function: dayCloseJob(nightlyResetJob),
});
