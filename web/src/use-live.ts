import { useEffect, useRef, useState } from 'preact/hooks';
import type { LiveServerMessage } from '#core/contract/live';
import type { Board, PublicStatus } from '#core/contract/schemas/responses/tickets';
import { currentSession, get, refreshSession } from './api';
import { channelName, LiveConnection, type SubscribeMessage } from './live';

/**
 * The screens' push channels (docs/live.md) over the tab's one LiveConnection. A channel counts
 * as live from its `subscribed` answer until it is refused or ended or the connection drops;
 * screens poll only while their channel is not live.
 */

/**
 * Test-only switch, read once: `localStorage['queueline.polling'] = 'off'` stops every screen's
 * polling, so a browser test sees what push alone delivers.
 */
export const POLLING_OFF = (() => {
  try {
    return localStorage.getItem('queueline.polling') === 'off';
  } catch {
    return false;
  }
})();

let connection: Promise<LiveConnection | null> | null = null;

/** The tab's connection, opened on first use at the URL `GET /v1/live` names (none: null). */
function liveConnection(): Promise<LiveConnection | null> {
  connection ??= get<{ url: string | null }>('/v1/live', { auth: false })
    .then(({ url }) => (url ? new LiveConnection(url) : null))
    .catch(() => {
      connection = null; // try again with the next screen
      return null;
    });
  return connection;
}

/**
 * Keeps one channel open while `open` is non-null and hands its messages to `onMessage`;
 * answers whether the channel is live (the screen polls while it is not).
 */
function useLiveChannel(
  name: string | null,
  open: () => Promise<SubscribeMessage | null>,
  onMessage: (message: LiveServerMessage) => void,
): boolean {
  const [live, setLive] = useState(false);
  const handlers = useRef({ open, onMessage });
  handlers.current = { open, onMessage };
  useEffect(() => {
    setLive(false);
    if (!name) return;
    let stopped = false;
    const stops: Array<() => void> = [];
    void liveConnection().then((conn) => {
      if (!conn || stopped) return;
      stops.push(
        conn.onStatus((connected) => {
          if (!connected) setLive(false);
        }),
        conn.subscribe(
          name,
          () => handlers.current.open(),
          (message) => {
            if (message.type === 'subscribed') setLive(true);
            else if (message.type === 'refused' || message.type === 'ended') setLive(false);
            handlers.current.onMessage(message);
          },
        ),
      );
    });
    return () => {
      stopped = true;
      for (const stop of stops) stop();
    };
  }, [name]);
  return live;
}

/** A branch's board by push (`subscribed` and every `board` message); true while live. */
export function useBranchLive(branchId: string | undefined, onBoard: (board: Board) => void): boolean {
  return useLiveChannel(
    branchId ? channelName({ branchId }) : null,
    async () => {
      let session = currentSession();
      if (session && session.expiresAt - Date.now() < 30_000) session = await refreshSession();
      return session && branchId ? { branchId, token: session.accessToken } : null;
    },
    (message) => {
      if ('board' in message) onBoard(message.board as Board);
    },
  );
}

/** A ticket's public status by push (`subscribed` and every `ticket` message); true while live. */
export function useTicketLive(
  publicToken: string | undefined,
  onStatus: (status: PublicStatus) => void,
): boolean {
  return useLiveChannel(
    publicToken ? channelName({ publicToken }) : null,
    async () => (publicToken ? { publicToken } : null),
    (message) => {
      if ('ticket' in message) onStatus(message.ticket as PublicStatus);
    },
  );
}

/** Whether a screen polls now: only while its push channel is not live (and the test switch is on). */
export const shouldPoll = (live: boolean): boolean => !live && !POLLING_OFF;
