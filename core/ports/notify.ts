import type { MessageChannel, NotifyChannel, NotifyEvent, PushSubscription } from '#core/domain/notify';
import type { Customer } from '#core/domain/ticket';

/** Where a ticket's sign-ups for messages are written, and each message is claimed (docs/notifications.md). */
export interface NotifyStore {
  /**
   * Sets the ticket's customer and channels, on condition that it is still at revision `rev`
   * (its revision moves on): false when it changed meanwhile.
   */
  signUp(
    tenantId: string,
    ticketId: string,
    rev: number,
    fields: { customer: Customer; notify: NotifyChannel[] },
    now: Date,
  ): Promise<boolean>;
  /** Sets the ticket's push subscriptions, on the same condition. */
  setSubscriptions(
    tenantId: string,
    ticketId: string,
    rev: number,
    subscriptions: PushSubscription[],
    now: Date,
  ): Promise<boolean>;
  /**
   * Claims the one message of `event` for one recipient of the ticket (`claim`, see
   * Recipient): true for the first claim ever made, false for every later one.
   */
  claim(tenantId: string, ticketId: string, event: NotifyEvent, claim: string, now: Date): Promise<boolean>;
}

/** One message to one recipient. */
export interface OutgoingMessage {
  channel: MessageChannel;
  /** Phone number, email address or push endpoint. */
  to: string;
  event: NotifyEvent;
  ticketCode: string;
  /** The language of the text (the branch's). */
  lang: string;
  text: string;
  /** Email's subject (the branch's name and the ticket). */
  subject: string;
  /** Web push: where and how to encrypt. */
  subscription?: PushSubscription;
  /** Web push: the status page the notification opens. */
  url?: string;
}

/** Sends customers' messages: SMS, email and web push (locally also into the outbox). */
export interface MessageSender {
  send(message: OutgoingMessage): Promise<void>;
}

/**
 * A branch's changes, as the table's stream tells them: the tickets written that hold
 * recipients (by id), and the queues whose waiting tickets moved (a ticket left or came in).
 */
export interface NotifyChange {
  tenantId: string;
  branchId: string;
  ticketIds: string[];
  /** Of those, the tickets the batch saw called, and at which counter (their new image). */
  calls: Array<{ ticketId: string; counterId: string | null }>;
  movedQueues: string[];
}
