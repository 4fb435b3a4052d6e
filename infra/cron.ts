import { eraseContactsJob, nightlyResetJob } from '#core/contract/functions';
import { contractFunction, type Wiring } from './access';

/**
 * The nightly reset: EventBridge Scheduler invokes functions/nightly-reset.ts at five past every
 * hour (UTC); each branch closes at its own local `resetHour`, so the job finds whichever
 * branches are due and queues one message each (infra/queue.ts). The payload carries the
 * instant the run is for, which stays the same on retries, so a retried run is the same logical
 * run (the close is idempotent).
 *
 * Two ways a run can fail, both ending in the dead-letter queue: the scheduler cannot invoke the
 * function (the schedule's `dlq`, after its `retries`), or the function throws — Scheduler
 * invokes it asynchronously, so Lambda retries it twice and then, without an on-failure
 * destination, would drop the event; the destination sends it to the dead-letter queue (with
 * the role's permission to).
 */
export function createNightlyReset(w: Wiring) {
  return new sst.aws.CronV2('NightlyReset', {
    schedule: 'cron(5 * * * ? *)',
    event: { scheduledTime: '<aws.scheduler.scheduled-time>' },
    retries: 2,
    dlq: w.closeDeadLetters.arn,
    function: contractFunction(nightlyResetJob, w, {
      retries: 2,
      permissions: [{ actions: ['sqs:SendMessage'], resources: [w.closeDeadLetters.arn] }],
      transform: {
        eventInvokeConfig: (args) => {
          args.destinationConfig = { onFailure: { destination: w.closeDeadLetters.arn } };
        },
      },
    }),
  });
}

/**
 * The contact erasing (docs/privacy.md): EventBridge Scheduler invokes functions/erase-contacts.ts
 * at a quarter past every hour (UTC), apart from the nightly reset. A failed run needs no
 * dead-letter queue: what it did not erase stays due, and the next run erases it; a ticket whose
 * erasure fails is counted (`ContactErasureFailed`, alarmed in infra/alarms.ts).
 */
export function createEraseContacts(w: Wiring) {
  return new sst.aws.CronV2('EraseContacts', {
    schedule: 'cron(15 * * * ? *)',
    event: { scheduledTime: '<aws.scheduler.scheduled-time>' },
    retries: 2,
    function: contractFunction(eraseContactsJob, w),
  });
}
