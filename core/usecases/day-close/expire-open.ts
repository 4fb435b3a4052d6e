import type { TicketRecord } from '../../domain/ticket';
import { TERMINAL } from '../../domain/ticket';
import { expireChange } from '../../domain/ticket-changes';
import type { DayCloseStore } from '../../ports/day-close';
import { type TicketStore, WriteConflict } from '../../ports/tickets';

const PARALLEL = 8;
const ATTEMPTS = 5;

export interface ExpireResult {
  expired: number;
  finished: number;
}

/**
 * Ends every unfinished ticket of the branch whose business day is before `beforeDay`:
 * waiting and called → expired, serving → done. Each ticket is its own transaction (ticket,
 * counter, live counts, figures), conditioned on the ticket's revision, so a counter acting on
 * it at the same moment either wins (and the ticket is re-read) or loses — and a rerun after a
 * crash finds only what is still open.
 */
export async function expireOpenTickets(
  stores: { tickets: TicketStore; dayClose: DayCloseStore },
  tenantId: string,
  branchId: string,
  beforeDay: string,
  now: Date,
): Promise<ExpireResult> {
  const ids = await stores.dayClose.openTicketIds(tenantId, branchId, beforeDay);
  const result: ExpireResult = { expired: 0, finished: 0 };
  const expireOne = async (id: string) => {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const ticket: TicketRecord | undefined = await stores.tickets.get(tenantId, id);
      if (!ticket || TERMINAL.has(ticket.status)) return;
      try {
        await stores.tickets.apply(tenantId, expireChange(ticket, now));
        if (ticket.status === 'serving') result.finished++;
        else result.expired++;
        return;
      } catch (error) {
        if (!(error instanceof WriteConflict)) throw error;
      }
    }
  };
  for (let i = 0; i < ids.length; i += PARALLEL) await Promise.all(ids.slice(i, i + PARALLEL).map(expireOne));
  return result;
}
