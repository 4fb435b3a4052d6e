import { ServiceUnavailableError } from '#core/domain/errors';
import type { TicketRecord } from '#core/domain/ticket';
import { TERMINAL } from '#core/domain/ticket';
import { expireChange, type TicketChange } from '#core/domain/ticket-changes';
import type { BranchRef, CloseCounts } from '#core/ports/day-close';
import { type TicketStore, WriteConflict } from '#core/ports/tickets';
import { mapBounded } from '#core/usecases/reports/summary';
import { backoff } from '#core/usecases/tickets/context';
import type { DayCloseContext } from './close-day';

/** Transactions in flight while a close ends tickets. */
const PARALLEL = 16;
/** Waiting and called tickets ended in one transaction. */
const TOGETHER = 25;
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
  /** Every unfinished ticket found was ended (false: the budget ran out first, or one failed). */
  complete: boolean;
  /** Why a ticket could not be ended; the counts still say what was. */
  failure?: { error: unknown };
}

/**
 * Ends the branch's unfinished tickets (those of business days before `beforeDay` when given;
 * `retentionHours`: the branch's `contactRetentionHours`, which schedules their contact data's erasure):
 * waiting and called → expired, serving → done. Waiting and called tickets end many to a
 * transaction (at most one per counter), serving ones one each; every ticket is conditioned on
 * its revision, so a counter acting on one at the same moment either wins — and that ticket is
 * read again and ended alone — or loses. A rerun after a crash finds only what is still open. A
 * ticket is never given up on: a run either ends it, stops before it (budget), or fails.
 */
export async function expireOpenTickets(
  ctx: Pick<DayCloseContext, 'now' | 'tickets' | 'dayClose'>,
  {
    tenantId,
    branchId,
    beforeDay,
    budget,
    retentionHours,
  }: BranchRef & { beforeDay?: string; budget: Budget; retentionHours: number },
): Promise<ExpireResult> {
  const result: ExpireResult = { expired: 0, finished: 0, complete: true };
  const ended = (kind: keyof CloseCounts | undefined) => {
    if (kind) result[kind]++;
  };
  // A ticket that cannot be ended fails the run, once every other ticket of its wave is dealt with.
  let failure: ExpireResult['failure'];
  const endAlone = async (ticket: TicketRecord) => {
    try {
      ended(await expireOne(ctx.tickets, tenantId, ticket, ctx.now, retentionHours));
    } catch (error) {
      failure ??= { error };
    }
  };
  const endTogether = async (batch: TicketRecord[]) => {
    if (batch.length === 1) return endAlone(batch[0]!);
    let left: TicketChange[];
    try {
      left = await ctx.dayClose.expireTogether(
        tenantId,
        batch.map((t) => expireChange(t, ctx.now, retentionHours)),
      );
    } catch (error) {
      failure ??= { error };
      return;
    }
    const retry = new Set(left.map((c) => c.ticket.id));
    for (const t of batch) if (!retry.has(t.id)) ended('expired');
    for (const t of batch) if (retry.has(t.id)) await endAlone(t);
  };
  for await (const tickets of ctx.dayClose.openTickets(tenantId, branchId, beforeDay)) {
    // In waves of PARALLEL transactions, so that a run stops within one wave of its budget.
    for (let from = 0; from < tickets.length && result.complete; ) {
      const wave = waveOf(tickets, from, budget);
      from = wave.next;
      if (wave.stopped) result.complete = false;
      await mapBounded(wave.batches, PARALLEL, endTogether);
      if (failure) return { ...result, complete: false, failure };
    }
    if (!result.complete) break;
  }
  return result;
}

/**
 * The next tickets from `from` the budget allows, as up to PARALLEL batches: up to TOGETHER
 * waiting or called ones, at most one per counter (a transaction may not write an item twice);
 * each serving one alone.
 */
function waveOf(tickets: readonly TicketRecord[], from: number, budget: Budget) {
  const batches: TicketRecord[][] = [];
  let batch: TicketRecord[] = [];
  const counters = new Set<string>();
  let next = from;
  let stopped = false;
  for (; next < tickets.length; next++) {
    const ticket = tickets[next]!;
    const counter = ticket.status === 'called' ? ticket.counterId : null;
    const full = batch.length >= TOGETHER || (counter !== null && counters.has(counter));
    if ((ticket.status === 'serving' || full) && batch.length > 0) {
      batches.push(batch);
      batch = [];
      counters.clear();
    }
    if (batches.length >= PARALLEL) break;
    if (budget.exhausted()) {
      stopped = true;
      break;
    }
    if (ticket.status === 'serving') batches.push([ticket]);
    else {
      batch.push(ticket);
      if (counter) counters.add(counter);
    }
  }
  if (batch.length > 0) batches.push(batch);
  return { batches, next, stopped };
}

async function expireOne(
  tickets: TicketStore,
  tenantId: string,
  found: TicketRecord,
  now: Date,
  retentionHours: number,
): Promise<keyof CloseCounts | undefined> {
  let ticket: TicketRecord | undefined = found;
  // The revision at which the ticket's counter turned out not to hold it: end it without the counter.
  let counterLost: number | undefined;
  for (let attempt = 1; ticket && !TERMINAL.has(ticket.status); attempt++) {
    const change = expireChange(ticket, now, retentionHours);
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
