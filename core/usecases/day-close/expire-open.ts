import { ServiceUnavailableError } from '../../domain/errors';
import type { TicketRecord } from '../../domain/ticket';
import { TERMINAL } from '../../domain/ticket';
import { expireChange, type TicketChange } from '../../domain/ticket-changes';
import type { CloseCounts, DayCloseStore } from '../../ports/day-close';
import { type TicketStore, WriteConflict } from '../../ports/tickets';
import { mapBounded } from '../reports/summary';
import { backoff } from '../tickets/context';

/** Transactions in flight while a close ends tickets. */
const PARALLEL = 16;
/** Waiting and called tickets ended in one transaction. */
const TOGETHER = 40;
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
 * waiting and called → expired, serving → done. Waiting and called tickets end many to a
 * transaction (at most one per counter), serving ones one each; every ticket is conditioned on
 * its revision, so a counter acting on one at the same moment either wins — and that ticket is
 * read again and ended alone — or loses. A rerun after a crash finds only what is still open. A
 * ticket is never given up on: a run either ends it, stops before it (budget), or fails.
 */
export async function expireOpenTickets(
  stores: { tickets: TicketStore; dayClose: DayCloseStore },
  tenantId: string,
  branchId: string,
  options: { beforeDay?: string; now: Date; budget: Budget },
): Promise<ExpireResult> {
  const result: ExpireResult = { expired: 0, finished: 0, complete: true };
  const ended = (kind: keyof CloseCounts | undefined) => {
    if (kind) result[kind]++;
  };
  // A ticket that cannot be ended fails the run, once every other ticket has been dealt with.
  let failure: { error: unknown } | undefined;
  const endAlone = async (ticket: TicketRecord) => {
    try {
      ended(await expireOne(stores.tickets, tenantId, ticket, options.now));
    } catch (error) {
      failure ??= { error };
    }
  };
  const endTogether = async (batch: TicketRecord[]) => {
    if (batch.length === 1) return endAlone(batch[0]!);
    let left: TicketChange[];
    try {
      left = await stores.dayClose.expireTogether(
        tenantId,
        batch.map((t) => expireChange(t, options.now)),
      );
    } catch (error) {
      failure ??= { error };
      return;
    }
    const retry = new Set(left.map((c) => c.ticket.id));
    for (const t of batch) if (!retry.has(t.id)) ended('expired');
    for (const t of batch) if (retry.has(t.id)) await endAlone(t);
  };
  for await (const tickets of stores.dayClose.openTickets(tenantId, branchId, options.beforeDay)) {
    const batches = batchesOf(tickets, options.budget);
    if (batches.taken < tickets.length) result.complete = false;
    await mapBounded(batches.list, PARALLEL, endTogether);
    if (failure) throw failure.error;
    if (!result.complete) break;
  }
  return result;
}

/**
 * The tickets the budget allows, as batches: up to TOGETHER waiting or called ones, at most one
 * per counter (a transaction may not write an item twice); each serving one alone.
 */
function batchesOf(tickets: readonly TicketRecord[], budget: Budget) {
  const list: TicketRecord[][] = [];
  let batch: TicketRecord[] = [];
  const counters = new Set<string>();
  let taken = 0;
  for (const ticket of tickets) {
    if (budget.exhausted()) break;
    taken++;
    if (ticket.status === 'serving') {
      list.push([ticket]);
      continue;
    }
    const counter = ticket.status === 'called' ? ticket.counterId : null;
    if (batch.length >= TOGETHER || (counter && counters.has(counter))) {
      list.push(batch);
      batch = [];
      counters.clear();
    }
    batch.push(ticket);
    if (counter) counters.add(counter);
  }
  if (batch.length > 0) list.push(batch);
  return { list, taken };
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
