import { hasContactData } from '#core/domain/contact';
import { ConflictError } from '#core/domain/errors';
import type { ContactStore } from '#core/ports/contacts';
import type { TicketStore } from '#core/ports/tickets';
import type { Budget } from '#core/usecases/day-close/expire-open';
import { mapBounded } from '#core/usecases/reports/summary';
import { backoff } from '#core/usecases/tickets/context';
import { type PublicTicketInput, ticketOfToken } from '#core/usecases/tickets/public-status';

/** What erasing contact data runs on: the clock and the ports (no caller: a job, or a token). */
export interface ContactContext {
  now: Date;
  contacts: ContactStore;
}

/** Erasures in flight at once in a run of the job. */
const PARALLEL = 16;
/** Lost races on one ticket before a customer's erasure gives up (409, to retry). */
const ATTEMPTS = 5;

export interface ErasureFailure {
  tenantId: string;
  ticketId: string;
  error: unknown;
}

export interface ContactsErased {
  /** Entries found due (an entry erased meanwhile by another run or by its customer included). */
  due: number;
  erased: number;
  /** Tickets whose erasure failed: their entries stay, and the next run tries them again. */
  failed: ErasureFailure[];
  /** Every entry due was dealt with (false: the budget ran out, the next run goes on). */
  complete: boolean;
}

/**
 * The erasing job's run (docs/privacy.md): every ticket whose contact data is due for erasure at
 * `ctx.now` — found through the `due` index, so the cost follows the tickets due, never the data
 * kept — has it erased, a page at a time until `budget` is spent. Each erasure is conditioned on
 * the ticket's entry, so a rerun, or two runs at once, erase nothing twice; one ticket whose
 * erasure fails is reported and never stops the others.
 */
export async function eraseDueContacts(
  ctx: ContactContext,
  { budget }: { budget: Budget },
): Promise<ContactsErased> {
  const result: ContactsErased = { due: 0, erased: 0, failed: [], complete: true };
  for await (const page of ctx.contacts.dueContacts(ctx.now)) {
    if (budget.exhausted()) {
      result.complete = false;
      break;
    }
    result.due += page.length;
    await mapBounded(page, PARALLEL, async (due) => {
      try {
        if (await ctx.contacts.eraseDue(due, ctx.now)) result.erased++;
      } catch (error) {
        result.failed.push({ tenantId: due.tenantId, ticketId: due.ticketId, error });
      }
    });
  }
  return result;
}

/**
 * `DELETE /v1/public/tickets/{publicToken}/contact`: the customer erases their contact data at
 * once, whatever the ticket's status (a waiting ticket keeps its place, but can no longer be
 * notified). Nothing to erase — erased already — is done too.
 */
export async function eraseContactNow(
  ctx: ContactContext & { tickets: TicketStore },
  input: PublicTicketInput,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { tenantId, ticket } = await ticketOfToken(ctx, input);
    if (!hasContactData(ticket)) return;
    if (await ctx.contacts.eraseNow(tenantId, ticket.id, ticket.rev, ctx.now)) return;
    if (attempt >= ATTEMPTS) throw new ConflictError('concurrent-change', 'The ticket keeps changing; retry');
    await backoff(attempt);
  }
}
