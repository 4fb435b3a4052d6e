import { eraseContactsJob } from '#core/contract/jobs';
import { eraseDueContacts } from '#core/usecases/contacts/erase-contacts';
import { timeBudget } from '#core/usecases/day-close/expire-open';
import { contactContext } from './commons/context';
import { logger } from './commons/logger';
import { requestMetrics } from './commons/metrics';
import { type RunEvent, runInstant } from './commons/run-instant';
import { runAs } from './commons/running';

/**
 * The contact erasing (docs/privacy.md), invoked hourly by EventBridge Scheduler (infra/cron.ts)
 * and locally by `npm run job -- erase-contacts [--at <ISO>]` (local/job.ts); the instant a run
 * is for comes from its event as for the nightly reset.
 *
 * Each run erases the contact data of every ended ticket whose branch's `contactRetentionHours`
 * have passed at that instant (the `due` index), a page at a time, for up to RUN_BUDGET_MS; what
 * is left, the next run erases first. A ticket whose erasure fails is logged by its ids only
 * (never its contact data) and counted (`ContactErasureFailed`); its entry stays, so the next
 * run tries it again, and the other tickets are still erased.
 */
export type EraseContactsEvent = RunEvent;

export interface EraseContactsResult {
  at: string;
  /** Tickets found due. */
  due: number;
  erased: number;
  failed: number;
  /** False when the run's time ran out first: the next run goes on. */
  complete: boolean;
}

/** Well inside the function's timeout (core/contract/jobs.ts). */
const RUN_BUDGET_MS = 240_000;

export const handler = runAs(eraseContactsJob, eraseContacts);

async function eraseContacts(event?: EraseContactsEvent | null): Promise<EraseContactsResult> {
  const at = runInstant(event);
  const metrics = requestMetrics();
  try {
    const run = await eraseDueContacts(contactContext({ now: at }), { budget: timeBudget(RUN_BUDGET_MS) });
    for (const { tenantId, ticketId, error } of run.failed) {
      logger.error('contact erasure failed', {
        tenantId,
        ticketId,
        error: error instanceof Error ? error.name : 'Error',
      });
    }
    if (run.erased > 0) metrics.record('ContactsErased', run.erased);
    if (run.failed.length > 0) metrics.record('ContactErasureFailed', run.failed.length);
    const result = {
      at: at.toISOString(),
      due: run.due,
      erased: run.erased,
      failed: run.failed.length,
      complete: run.complete,
    };
    logger.info('erase-contacts', { ...result });
    return result;
  } finally {
    metrics.publish();
  }
}
