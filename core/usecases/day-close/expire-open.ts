import { ServiceUnavailableError } from '../../domain/errors';
import type { TicketRecord } from '../../domain/ticket';
import { TERMINAL } from '../../domain/ticket';
import { expireChange } from '../../domain/ticket-changes';
import type { CloseCounts, DayCloseStore } from '../../ports/day-close';
import { type TicketStore, WriteConflict } from '../../ports/tickets';
import { backoff } from '../tickets/context';

/** Transactions in flight while a close ends tickets. */
const PARALLEL = 16;
/** Lost races on one ticket before the close gives up on the whole run (loudly). */
const ATTEMPTS = 30;

/** When a run should stop and leave the rest to its continuation. */
export interface Budget {
  exhausted(): boolean;
}

/** A budget of wall-clock time from now. */
export function timeBudget(ms: number): Budget {
  const end = Date.now() + ms;
  return { exhausted: () => Date.now() >= end };
}

export interface ExpireResult extends CloseCounts {
  /** Every unfinished ticket found was ended (false: the budget ran out first). */
  complete: boolean;
}

/**
 * Ends the branch's unfinished tickets (those of business days before `beforeDay` when given):
 * waiting and called → expired, serving → done. Each ticket is its own transaction (ticket,
 * counter, live counts, figures), conditioned on the ticket's revision, so a counter acting on
 * it at the same moment either wins (and the ticket is read again) or loses — and a rerun after
 * a crash finds only what is still open. A ticket is never given up on: a run either ends it,
 * stops before it (budget), or fails.
 */
export async function expireOpenTickets(
  stores: { tickets: TicketStore; dayClose: DayCloseStore },
  tenantId: string,
  branchId: string,
  options: { beforeDay?: string; now: Date; budget: Budget },
): Promise<ExpireResult> {
  const result: ExpireResult = { expired: 0, finished: 0, complete: true };
  for await (const batch of stores.dayClose.openTickets(tenantId, branchId, options.beforeDay)) {
    let next = 0;
    const worker = async () => {
      while (next < batch.length && result.complete) {
        if (options.budget.exhausted()) {
          result.complete = false;
          return;
        }
        const ended = await expireOne(stores.tickets, tenantId, batch[next++]!, options.now);
        if (ended) result[ended]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, batch.length) }, worker));
    if (!result.complete) break;
  }
  return result;
}

async function expireOne(
  tickets: TicketStore,
  tenantId: string,
  found: TicketRecord,
  now: Date,
): Promise<keyof CloseCounts | undefined> {
  let ticket: TicketRecord | undefined = found;
  // The revision at which the ticket's counter turned out not to hold it: end it without the counter.
  let counterLost: number | undefined;
  for (let attempt = 1; ticket && !TERMINAL.has(ticket.status); attempt++) {
    const change = expireChange(ticket, now);
    try {
      await tickets.apply(tenantId, counterLost === ticket.rev ? { ...change, counter: undefined } : change);
      return ticket.status === 'serving' ? 'finished' : 'expired';
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
      if (attempt >= ATTEMPTS) {
        throw new ServiceUnavailableError(`Ticket ${ticket.id} kept changing while its day was being closed`);
      }
      if (error.part === 'counter') counterLost = ticket.rev;
    }
    await backoff(attempt);
    ticket = await tickets.get(tenantId, ticket.id);
  }
  return undefined;
}
