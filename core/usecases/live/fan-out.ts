import type { Actor } from '#core/domain/actor';
import { ForbiddenError, NotFoundError } from '#core/domain/errors';
import { type BranchChange, branchChannel, type TicketMove, ticketChannel } from '#core/domain/live';
import { parsePublicToken } from '#core/domain/public-token';
import type { TicketRecord } from '#core/domain/ticket';
import type { Caller } from '#core/usecases/scope';
import { type Board, board } from '#core/usecases/tickets/board';
import type { PublicTicketContext } from '#core/usecases/tickets/context';
import { type PublicStatus, publicTicketStatus } from '#core/usecases/tickets/public-status';

/**
 * Live channels (docs/live.md). A branch channel carries the branch's whole board after each
 * change, read once per change whatever the number of viewers; a ticket channel carries its
 * ticket's status page. Opening a channel authorizes it and answers the current state, so a
 * client that (re)connects has caught up without a poll.
 */

/** What the fan-out and the channels run on: the clock and the ticket ports; no caller. */
export type LiveContext = PublicTicketContext;

/** What a channel sends. `at`: when the fan-out made it (ISO). */
export type LiveMessage =
  | { type: 'board'; branchId: string; board: Board; changes: TicketMove[]; at: string }
  | { type: 'ticket'; ticket: PublicStatus; at: string };

/** One message for one channel (see branchChannel / ticketChannel). */
export interface Delivery {
  channel: string;
  message: LiveMessage;
  /** For a ticket channel: where its ticket waits now (a later move of that queue concerns it). */
  listener?: TicketListener;
}

/** An open ticket channel: its token, and the queue its ticket waited in when last seen. */
export interface TicketListener {
  publicToken: string;
  waitingIn: string | null;
}

/** Who listens, as the transport knows it: the fan-out reads nothing for channels nobody holds. */
export interface LiveAudience {
  listens(channel: string): boolean | Promise<boolean>;
  /** The ticket channels open on tickets of this branch. */
  ticketsOf(
    tenantId: string,
    branchId: string,
  ): readonly TicketListener[] | Promise<readonly TicketListener[]>;
}

/** The fan-out reads a branch's board as the branch itself: its tenant, that branch only. */
const branchReader = (tenantId: string, branchId: string): Actor => ({
  tenantId,
  userId: 'live',
  roleId: 'live',
  permissions: [],
  branches: [branchId],
});

const whereWaiting = (t: TicketRecord) => (t.status === 'waiting' ? t.queueId : null);

/** A ticket's status, or undefined once it is gone (deleted with its tenant, or expired). */
async function statusOf(ctx: LiveContext, publicToken: string) {
  try {
    return await publicTicketStatus(ctx, { publicToken });
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * The context of one fan-out: a branch's setup is read once and shared by its board and all its
 * tickets' statuses (they are read after the same commits, so one read serves them all); so is
 * a tenant's branding.
 */
function readingSetupsOnce(ctx: LiveContext): LiveContext {
  const loaded = new Map<string, ReturnType<LiveContext['setups']['load']>>();
  const load: LiveContext['setups']['load'] = (tenantId, branchId) => {
    const key = `${tenantId}#${branchId}`;
    if (!loaded.has(key)) loaded.set(key, ctx.setups.load(tenantId, branchId));
    return loaded.get(key)!;
  };
  const brandings = new Map<string, ReturnType<LiveContext['branding']['branding']>>();
  const branding: LiveContext['branding']['branding'] = (tenantId) => {
    if (!brandings.has(tenantId)) brandings.set(tenantId, ctx.branding.branding(tenantId));
    return brandings.get(tenantId)!;
  };
  return {
    ...ctx,
    setups: Object.assign(Object.create(ctx.setups), { load }),
    branding: { branding },
  };
}

/**
 * The messages a batch of branch changes makes: the board of every changed branch somebody
 * watches, and the status of every watched ticket that changed or whose queue moved.
 */
export async function fanOut(
  given: LiveContext,
  changes: readonly BranchChange[],
  audience: LiveAudience,
): Promise<Delivery[]> {
  const ctx = readingSetupsOnce(given);
  const at = ctx.now.toISOString();
  const deliveries: Delivery[] = [];
  await Promise.all(
    changes.map(async ({ tenantId, branchId, tickets, movedQueues }) => {
      const channel = branchChannel(tenantId, branchId);
      if (await audience.listens(channel)) {
        try {
          const { board: current } = await board(
            { ...ctx, actor: branchReader(tenantId, branchId) },
            { branchId },
          );
          deliveries.push({
            channel,
            message: { type: 'board', branchId, board: current!, changes: tickets.map((t) => t.move), at },
          });
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
      const tokens = new Set(tickets.flatMap((t) => (t.publicToken ? [t.publicToken] : [])));
      for (const listener of await audience.ticketsOf(tenantId, branchId))
        if (listener.waitingIn && movedQueues.includes(listener.waitingIn)) tokens.add(listener.publicToken);
      await Promise.all(
        [...tokens].map(async (publicToken) => {
          const where = parsePublicToken(publicToken);
          const ticketChannelName = where && ticketChannel(where.tenantId, where.ticketId);
          if (!ticketChannelName || !(await audience.listens(ticketChannelName))) return;
          const found = await statusOf(ctx, publicToken);
          if (!found) return;
          deliveries.push({
            channel: ticketChannelName,
            message: { type: 'ticket', ticket: found.status, at },
            listener: { publicToken, waitingIn: whereWaiting(found.ticket) },
          });
        }),
      );
    }),
  );
  return deliveries;
}

/**
 * Opens a branch channel for a signed-in caller: `branches:read` (403), the branch of the
 * caller's tenant (404, also for another tenant's id), in the caller's branch scope (403).
 */
export async function openBranchChannel(
  ctx: LiveContext & Caller,
  { branchId }: { branchId: string },
): Promise<{ channel: string; board: Board }> {
  if (!ctx.actor.permissions.includes('branches:read'))
    throw new ForbiddenError('Opening a branch channel needs the permission branches:read');
  const { board: current } = await board(ctx, { branchId });
  return { channel: branchChannel(ctx.actor.tenantId, branchId), board: current! };
}

/** Opens a ticket channel: the public token names the ticket and nothing else (404 otherwise). */
export async function openTicketChannel(
  ctx: LiveContext,
  { publicToken }: { publicToken: string },
): Promise<{ channel: string; branchId: string; status: PublicStatus; listener: TicketListener }> {
  const { ticket, status } = await publicTicketStatus(ctx, { publicToken });
  return {
    channel: ticketChannel(parsePublicToken(publicToken)!.tenantId, ticket.id),
    branchId: ticket.branchId,
    status,
    listener: { publicToken, waitingIn: whereWaiting(ticket) },
  };
}
