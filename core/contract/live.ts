import * as z from 'zod/mini';
import { ulid } from '#core/contract/schemas/common';
import { publicTokenParams } from '#core/contract/schemas/requests/tickets';
import type { LiveMessage } from '#core/usecases/live/fan-out';
import type { Board } from '#core/usecases/tickets/board';
import type { PublicStatus } from '#core/usecases/tickets/public-status';

/**
 * The live protocol (docs/live.md): JSON text frames over one WebSocket, the same locally
 * (`npm start`'s push server) and in AWS (API Gateway WebSocket API). A client opens channels
 * with `subscribe`; the server answers each with `subscribed` (and the current state) or
 * `refused`, then sends that channel's messages until `ended` or `unsubscribe`.
 */

/** Client → server. A branch channel takes a staff access token; a ticket channel its public token. */
export const LiveClientMessage = z.union([
  z.strictObject({
    action: z.literal('subscribe'),
    branchId: ulid(),
    token: z.string().check(z.maxLength(4096)),
  }),
  z.strictObject({ action: z.literal('subscribe'), ...publicTokenParams().shape }),
  z.strictObject({ action: z.literal('unsubscribe'), channel: z.string().check(z.maxLength(100)) }),
]);
export type LiveClientMessage = z.infer<typeof LiveClientMessage>;

/** A channel as the client names it: `branch/<branchId>` or `ticket/<publicToken>`. */
export const clientChannel = (m: { branchId: string } | { publicToken: string }) =>
  'branchId' in m ? `branch/${m.branchId}` : `ticket/${m.publicToken}`;

/** Server → client. `status` of `refused`/`ended` has the HTTP meaning (401, 403, 404, 400, 503). */
export type LiveServerMessage =
  | { type: 'subscribed'; channel: string; board: Board }
  | { type: 'subscribed'; channel: string; ticket: PublicStatus }
  | { type: 'refused' | 'ended'; channel: string | null; status: number; title: string }
  | (LiveMessage & { channel: string });

/** Path of the WebSocket endpoint on the push server (locally; in AWS the API's stage URL). */
export const LIVE_PATH = '/live';
