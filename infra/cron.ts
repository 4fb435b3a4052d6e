import { NIGHTLY_RESET } from './functions';
import { lambda } from './lambda';
import { table } from './storage';

/**
 * The nightly reset: EventBridge Scheduler invokes functions/nightly-reset.ts at five past every
 * hour (UTC); each branch closes at its own local `resetHour`, so the job closes whichever
 * branches are due. The payload carries the instant the run is for, which stays the same on
 * retries, so a retried run is the same logical run (the close is idempotent).
 */
export const nightlyReset = new sst.aws.CronV2('NightlyReset', {
  schedule: 'cron(5 * * * ? *)',
  event: { scheduledTime: '<aws.scheduler.scheduled-time>' },
  retries: 2,
  function: lambda(NIGHTLY_RESET, {
    link: [table],
    environment: { TABLE_NAME: table.name },
  }),
});
