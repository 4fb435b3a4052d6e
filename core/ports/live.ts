import type { TokenVersions } from '#core/domain/revocation';
import type { TicketListener } from '#core/usecases/live/fan-out';

/** One open channel of one connection, as the push service knows it (AWS: API Gateway WebSocket). */
export interface LiveSubscription {
  connectionId: string;
  /** The channel as the client named it (`branch/<id>`, `ticket/<publicToken>`). */
  name: string;
  /** The fan-out's channel (branchChannel / ticketChannel). */
  channel: string;
  /** When the channel ends by itself: its access token's expiry, or the connection's longest life. */
  expiresAt: Date;
  /** For a branch channel: whose token opened it, to end it once that token is revoked. */
  holder?: TokenVersions & { tenantId: string };
  /** For a ticket channel: its branch, and where its ticket waits. */
  ticket?: { tenantId: string; branchId: string; listener: TicketListener };
}

/**
 * The registry of open channels where connections are not held in memory (the AWS push
 * service): written on subscribe, read per change — one query per changed channel, never per
 * viewer — and cleared on disconnect or when a connection is found gone.
 */
export interface LiveConnectionStore {
  add(subscription: LiveSubscription): Promise<void>;
  /** Ends one channel of a connection (`name`), or all of them. */
  remove(connectionId: string, name?: string): Promise<void>;
  /** The connections holding a branch channel, those past `expiresAt` included (for a day). */
  listeners(channel: string): Promise<LiveSubscription[]>;
  /** The ticket channels open on tickets of a branch. */
  ticketsOf(tenantId: string, branchId: string): Promise<LiveSubscription[]>;
}
