import type { LiveServerMessage } from '#core/contract/live';

/**
 * One WebSocket to the push server (docs/live.md), shared by every screen of the tab. It
 * reconnects with exponential backoff (with jitter) and, once open again, re-opens every
 * channel: each `subscribed` answer carries the current state, so a screen catches up with
 * what it missed. Screens poll only while `connected` is false.
 */

/** What a channel sends on (re)subscribe: built each time, so a branch channel gets a fresh token. */
export type SubscribeMessage = { branchId: string; token: string } | { publicToken: string };

type Socket = {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((e: unknown) => void) | null;
  onclose: ((e: unknown) => void) | null;
  onerror: ((e: unknown) => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
};

interface Channel {
  open: () => Promise<SubscribeMessage | null>;
  onMessage: (m: LiveServerMessage) => void;
}

const channelName = (m: { branchId: string } | { publicToken: string }) =>
  'branchId' in m ? `branch/${m.branchId}` : `ticket/${m.publicToken}`;

export class LiveConnection {
  connected = false;
  private socket: Socket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly channels = new Map<string, Channel>();
  private readonly statusListeners = new Set<(connected: boolean) => void>();

  constructor(
    private readonly url: string,
    private readonly options: {
      WebSocket?: new (url: string) => Socket;
      minDelayMs?: number;
      maxDelayMs?: number;
    } = {},
  ) {
    this.connect();
  }

  /** Opens a channel (now, and again after every reconnect); returns its close. */
  subscribe(name: string, open: Channel['open'], onMessage: Channel['onMessage']): () => void {
    const channel = { open, onMessage };
    this.channels.set(name, channel);
    if (this.connected) void this.send(channel);
    return () => {
      if (this.channels.get(name) !== channel) return;
      this.channels.delete(name);
      if (this.connected) this.socket?.send(JSON.stringify({ action: 'unsubscribe', channel: name }));
    };
  }

  /** Opens a channel again (a fresh token after a refresh, or after `ended`). */
  resubscribe(name: string): void {
    const channel = this.channels.get(name);
    if (channel && this.connected) void this.send(channel);
  }

  onStatus(listener: (connected: boolean) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close();
  }

  private async send(channel: Channel) {
    const message = await channel.open();
    if (message && this.connected) this.socket?.send(JSON.stringify({ action: 'subscribe', ...message }));
  }

  private setConnected(connected: boolean) {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const listener of this.statusListeners) listener(connected);
  }

  private connect() {
    const Impl =
      this.options.WebSocket ??
      (globalThis as unknown as { WebSocket: new (url: string) => Socket }).WebSocket;
    const socket = new Impl(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setConnected(true);
      for (const channel of this.channels.values()) void this.send(channel);
    };
    // A failed connect is followed by `close`, which schedules the next attempt.
    socket.onerror = () => {};
    socket.onmessage = (event) => {
      let message: LiveServerMessage;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const channel = message.channel ? this.channels.get(message.channel) : undefined;
      channel?.onMessage(message);
      // An expired or revoked token ended the channel: open it again with a fresh one.
      if (message.type === 'ended' && message.status === 401 && message.channel)
        this.resubscribe(message.channel);
    };
    socket.onclose = () => {
      this.setConnected(false);
      if (this.closed) return;
      const { minDelayMs = 250, maxDelayMs = 10_000 } = this.options;
      const delay = Math.min(maxDelayMs, minDelayMs * 2 ** this.attempt++);
      this.timer = setTimeout(() => this.connect(), delay / 2 + Math.random() * (delay / 2));
    };
  }
}

export { channelName };
