import type { TicketRecord } from './ticket';

/**
 * Live updates: what changed in a branch, as the push channels see it. A change is decided
 * from the stored records alone (the database's change stream), so every write path — API
 * requests, the day close, the nightly job — reaches the screens without code of its own.
 */

/** The part of a changed ticket a branch channel may carry: no customer data, no public token. */
export interface TicketMove {
  id: string;
  code: string;
  status: TicketRecord['status'] | 'deleted';
  queueId: string;
  counterId: string | null;
}

/** A ticket that changed: what its branch channel carries, and where its own channel is. */
export interface TicketChange {
  move: TicketMove;
  /** The ticket's public token, to name its own channel; never sent on the branch channel. */
  publicToken: string | null;
}

/** What changed in one branch, over one batch of records. */
export interface BranchChange {
  tenantId: string;
  branchId: string;
  tickets: TicketChange[];
  /** Queues whose waiting line changed: the positions of the tickets waiting there moved. */
  movedQueues: string[];
}

type Image = Pick<TicketRecord, 'status' | 'queueId' | 'rank' | 'queuedAt' | 'place'>;

/** Where a waiting ticket stands in its queue's line (its partition and order); undefined otherwise. */
const placeIn = (t: Image | undefined) =>
  t?.status === 'waiting' ? `${t.rank}#${t.queuedAt}#${t.place?.entry ?? ''}` : undefined;

/**
 * The queues whose waiting line a ticket's change altered: left, joined, or both — or, staying
 * in its queue, moved within it (sent to the back, re-ranked), which moves those behind it.
 */
export function queuesMovedBy(before: Image | undefined, after: Image | undefined): string[] {
  const waitingIn = (t: Image | undefined) => (t?.status === 'waiting' ? t.queueId : undefined);
  const [from, to] = [waitingIn(before), waitingIn(after)];
  if (from === to) return from !== undefined && placeIn(before) !== placeIn(after) ? [from] : [];
  return [from, to].filter((q): q is string => q !== undefined);
}

/** The name of a branch's channel in the fan-out (tenant and branch from trusted sources only). */
export const branchChannel = (tenantId: string, branchId: string) => `branch#${tenantId}#${branchId}`;
/** The name of a ticket's channel in the fan-out: tenant and ticket from its verified public token. */
export const ticketChannel = (tenantId: string, ticketId: string) => `ticket#${tenantId}#${ticketId}`;
