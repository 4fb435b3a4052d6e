import { clientChannel, LiveClientMessage, type LiveServerMessage } from '#core/contract/live';
import { DomainError } from '#core/domain/errors';
import type { TokenVersions } from '#core/domain/revocation';
import { openBranchChannel, openTicketChannel, type TicketListener } from '#core/usecases/live/fan-out';
import { authenticate } from './auth';
import { publicTicketContext } from './context';

/**
 * Opening a channel, the same for the local push server (local/live.ts) and the AWS one
 * (functions/live-message.ts): a client's frame, authorized as docs/live.md says, becomes the
 * answer to send and, when opened, what to register.
 */

/** The longest an API Gateway WebSocket connection lives: a ticket channel ends with it. */
export const CONNECTION_MAX_MS = 2 * 3600_000;

export type Subscribe = Extract<LiveClientMessage, { action: 'subscribe' }>;

export interface OpenedChannel {
  name: string;
  channel: string;
  reply: LiveServerMessage;
  expiresAt: Date;
  branch?: { branchId: string; token: string };
  holder?: TokenVersions & { tenantId: string };
  ticket?: { tenantId: string; branchId: string; listener: TicketListener };
}

/** A client frame of the protocol, or null (answered `refused` 400). */
export function parseFrame(raw: string): LiveClientMessage | null {
  try {
    return LiveClientMessage.parse(JSON.parse(raw));
  } catch {
    return null;
  }
}

export const notAFrame: LiveServerMessage = {
  type: 'refused',
  channel: null,
  status: 400,
  title: 'Not a message of the live protocol',
};

export const problemOf = (error: unknown) =>
  error instanceof DomainError
    ? { status: error.status, title: error.title }
    : { status: 503, title: 'The channel cannot be opened now; retry' };

/** A verified access token's claims: when it expires, and the versions a revocation compares. */
const claimsOf = (token: string) => {
  const c = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
  return {
    expiresAt: new Date(Number(c.exp) * 1000),
    holder: {
      tenantId: c.tid,
      userId: c.sub,
      userVersion: c.uv ?? 0,
      roleId: c.role,
      roleVersion: c.rv ?? 0,
    },
  };
};

/** Opens the channel a subscribe names, or answers why not (`refused`, with the HTTP status). */
export async function openChannel(
  message: Subscribe,
  now: Date,
): Promise<{ opened: OpenedChannel } | { refused: LiveServerMessage; error: unknown }> {
  const name = clientChannel(message);
  const context = publicTicketContext({ now });
  try {
    if ('branchId' in message) {
      const actor = await authenticate(`Bearer ${message.token}`);
      const { channel, board } = await openBranchChannel({ ...context, actor }, message);
      return {
        opened: {
          name,
          channel,
          reply: { type: 'subscribed', channel: name, board },
          ...claimsOf(message.token),
          branch: { branchId: message.branchId, token: message.token },
        },
      };
    }
    const { channel, branchId, status, listener } = await openTicketChannel(context, message);
    return {
      opened: {
        name,
        channel,
        reply: { type: 'subscribed', channel: name, ticket: status },
        expiresAt: new Date(now.getTime() + CONNECTION_MAX_MS),
        ticket: { tenantId: channel.split('#')[1]!, branchId, listener },
      },
    };
  } catch (error) {
    return { refused: { type: 'refused', channel: name, ...problemOf(error) }, error };
  }
}
