import { useEffect, useRef, useState } from 'preact/hooks';
import type { PublicStatus } from '#core/contract/schemas/responses/tickets';
import { ApiError, get, request } from '../api';
import { formatTime, formatWait, ProblemAlert, STATUS_LABELS, useAction } from '../ui';
import { shouldPoll, useTicketLive } from '../use-live';
import { StatusContact } from './status-contact';

/** How often the page asks for news while its push channel is down (the public route allows 120 a minute per IP). */
export const STATUS_POLL_MS = 5_000;
const FINAL = new Set(['done', 'no_show', 'cancelled', 'expired']);

/**
 * The customer's status page (public, opened from the ticket's QR code): code, status, position,
 * estimated wait and, once called, the counter to go to. Updates by itself; cancel while waiting.
 */
export function StatusScreen({ token }: { token: string }) {
  const [status, setStatus] = useState<PublicStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [confirming, setConfirming] = useState(false);
  const cancel = useAction();
  const path = `/v1/public/tickets/${encodeURIComponent(token)}`;
  const final = status !== null && FINAL.has(status.status);

  // By push on the ticket's own channel; polled only while that channel is not live.
  const live = useTicketLive(token, (s) => {
    setStatus(s);
    setError(null);
    setUpdatedAt(new Date());
  });
  const poll = !final && shouldPoll(live);

  useEffect(() => {
    if (!poll) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let delay = STATUS_POLL_MS;
      if (document.visibilityState !== 'hidden') {
        try {
          const s = await get<PublicStatus>(path, { auth: false });
          if (stopped) return;
          setStatus(s);
          setError(null);
          setUpdatedAt(new Date());
        } catch (e) {
          if (stopped) return;
          setError(e);
          if (e instanceof ApiError && e.status === 404) return; // no ticket: nothing to wait for
          if (e instanceof ApiError && e.retryAfter) delay = e.retryAfter * 1000;
        }
      }
      if (!stopped) timer = setTimeout(tick, delay);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') {
        clearTimeout(timer);
        void tick();
      }
    };
    void tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [path, poll]);

  // Tell the customer when it is their turn, even when they look at another tab.
  const called = status?.status === 'called';
  const previous = useRef<string | null>(null);
  useEffect(() => {
    if (!status) return;
    document.title = called
      ? `Your turn: ${status.counterName ?? 'go to the counter'}`
      : `Ticket ${status.code}`;
    if (called && previous.current && previous.current !== 'called') navigator.vibrate?.([300, 150, 300]);
    previous.current = status.status;
  }, [status, called]);

  const doCancel = async () => {
    const s = await cancel.run(
      async () => (await request<PublicStatus>('DELETE', path, { auth: false })).data,
    );
    setConfirming(false);
    if (s) setStatus(s);
  };

  if (!status) {
    return (
      <main id="main" class="status-page">
        <h1>Your ticket</h1>
        {error instanceof ApiError && error.status === 404 ? (
          <p role="alert">We could not find this ticket. Check the link on your ticket.</p>
        ) : error ? (
          <ProblemAlert error={error} />
        ) : (
          <p role="status">Loading…</p>
        )}
      </main>
    );
  }

  return (
    <main id="main" class={`status-page status-${status.status}`}>
      <p class="muted">{status.queueName ?? 'Your ticket'}</p>
      <h1 class="ticket-code" data-testid="status-code">
        {status.code}
      </h1>
      <p class="status-badge" role="status" aria-live="polite" data-testid="status-text">
        {STATUS_LABELS[status.status]}
      </p>
      {status.status === 'called' || status.status === 'serving' ? (
        <p class="go-to" data-testid="status-counter">
          {status.status === 'called' ? 'Please go to ' : 'At '}
          <strong>{status.counterName ?? 'the counter'}</strong>
        </p>
      ) : null}
      {status.status === 'waiting' ? (
        <dl class="facts">
          <div>
            <dt>Position</dt>
            <dd data-testid="status-position">{status.position ?? '—'}</dd>
          </div>
          <div>
            <dt>Estimated wait</dt>
            <dd>{status.position === 1 ? 'you are next' : formatWait(status.estimatedWaitSeconds)}</dd>
          </div>
        </dl>
      ) : null}
      {status.calledAt ? <p class="muted">Called at {formatTime(status.calledAt)}</p> : null}
      <ProblemAlert error={cancel.error ?? error} />
      {status.status === 'waiting' ? (
        confirming ? (
          <fieldset class="confirm" aria-label="Confirm cancelling">
            <p>Give up your place in the queue?</p>
            <button type="button" class="danger" disabled={cancel.busy} onClick={() => void doCancel()}>
              Yes, cancel my ticket
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              No, keep it
            </button>
          </fieldset>
        ) : (
          <button type="button" class="secondary" onClick={() => setConfirming(true)}>
            Cancel my ticket
          </button>
        )
      ) : null}
      <StatusContact token={token} />
      <p class="muted small">
        {final ? 'This ticket is closed.' : 'This page updates by itself.'}
        {updatedAt ? ` Last update ${updatedAt.toLocaleTimeString()}.` : ''}
      </p>
    </main>
  );
}
