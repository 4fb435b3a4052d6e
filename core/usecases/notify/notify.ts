import { NotFoundError } from '#core/domain/errors';
import { dueEvent, type NotifyEvent, type Recipient, recipientsOf } from '#core/domain/notify';
import type { BranchSetup } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import { resolveLanguage, translate } from '#core/i18n/index';
import type { MessageSender, NotifyChange, NotifyStore, OutgoingMessage } from '#core/ports/notify';
import type { PublicTicketContext } from '#core/usecases/tickets/context';
import { standingOf } from '#core/usecases/tickets/position';

/** What sending customers' messages runs on: the tickets, the claims, a sender; no caller. */
export interface NotifyContext extends PublicTicketContext {
  notifications: NotifyStore;
  sender: MessageSender;
  /** The web app's URL (`…/app`): a push notification opens the ticket's status page there. */
  appUrl?: string;
  /** Where a failed send is told (by ticket, event and channel: never an address or a text). */
  failed(failure: {
    tenantId: string;
    ticketId: string;
    event: NotifyEvent;
    channel: string;
    error: unknown;
  }): void;
}

/** What one batch sent: one entry per message claimed and handed to the sender. */
export interface Sent {
  ticketId: string;
  event: NotifyEvent;
  channel: Recipient['channel'];
}

function message(
  ctx: NotifyContext,
  setup: BranchSetup,
  ticket: TicketRecord,
  event: NotifyEvent,
  position: number | null,
  counterId: string | null,
  recipient: Recipient,
): OutgoingMessage {
  const lang = resolveLanguage(setup.branch.language);
  const branch = setup.branch.name;
  // The counter of the call the stream saw (the ticket may have moved on since); a counter
  // deleted meanwhile leaves "the counter".
  const counter = setup.counters.find((c) => c.id === counterId)?.name;
  const text =
    event === 'near'
      ? translate(lang, 'message.near', { code: ticket.code, position: position ?? 1, branch })
      : counter
        ? translate(lang, 'message.called', { code: ticket.code, counter, branch })
        : translate(lang, 'message.calledAnywhere', { code: ticket.code, branch });
  return {
    channel: recipient.channel,
    to: recipient.to,
    event,
    ticketCode: ticket.code,
    lang,
    text,
    subject: translate(lang, 'message.subject', { code: ticket.code, branch }),
    ...(recipient.subscription && { subscription: recipient.subscription }),
    ...(ctx.appUrl && { url: `${ctx.appUrl}/#/t/${ticket.publicToken}` }),
  };
}

/**
 * The messages a batch of changes makes (docs/notifications.md). Per changed branch: its setup
 * (read once), then the tickets that may be due — those written in the batch holding
 * recipients, and the first `notifyAtPosition` of each line of a queue that moved (a ticket at
 * position p is among the first p of its own line) — each read again consistently for its
 * recipients and position, since the index and the batch may be behind it (erased contact data
 * reaches nobody); a call the batch saw is due even if the ticket has moved on since. A due event is claimed per recipient (one conditional
 * write) before its message goes; a lost claim sends nothing. A failed send is reported, never
 * retried: each message goes at most once.
 */
export async function notifyChanges(ctx: NotifyContext, changes: readonly NotifyChange[]): Promise<Sent[]> {
  const sent: Sent[] = [];
  await Promise.all(
    changes.map(async ({ tenantId, branchId, ticketIds, calls, movedQueues }) => {
      if (ticketIds.length === 0 && movedQueues.length === 0) return;
      let setup: BranchSetup;
      try {
        setup = await ctx.setups.load(tenantId, branchId);
      } catch (error) {
        if (error instanceof NotFoundError) return;
        throw error;
      }
      const reach = setup.branch.notifyAtPosition;
      const ids = new Set(ticketIds);
      await Promise.all(
        movedQueues.map(async (queueId) => {
          const queue = setup.queues.find((q) => q.id === queueId);
          if (!queue) return;
          const ranks = [...queue.live.waitingByRank].filter(([, n]) => n > 0).map(([rank]) => rank);
          for (const heads of await Promise.all(
            ranks.map((rank) => ctx.tickets.waiting(tenantId, queueId, rank, { limit: reach })),
          ))
            for (const head of heads) if (recipientsOf(head).length > 0) ids.add(head.id);
        }),
      );
      await Promise.all(
        [...ids].map(async (ticketId) => {
          const ticket = await ctx.tickets.get(tenantId, ticketId);
          if (!ticket || ticket.branchId !== branchId) return;
          const recipients = recipientsOf(ticket);
          if (recipients.length === 0) return;
          const { position } = standingOf(setup, ticket, ctx.now);
          const call = calls.find((c) => c.ticketId === ticketId);
          const event = dueEvent(ticket, position, reach, call !== undefined);
          if (!event) return;
          await Promise.all(
            recipients.map(async (recipient) => {
              if (!(await ctx.notifications.claim(tenantId, ticket.id, event, recipient.claim, ctx.now)))
                return;
              try {
                const counterId = call ? call.counterId : ticket.counterId;
                await ctx.sender.send(message(ctx, setup, ticket, event, position, counterId, recipient));
                sent.push({ ticketId, event, channel: recipient.channel });
              } catch (error) {
                ctx.failed({ tenantId, ticketId, event, channel: recipient.channel, error });
              }
            }),
          );
        }),
      );
    }),
  );
  return sent;
}
