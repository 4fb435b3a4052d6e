import { useEffect, useRef, useState } from 'preact/hooks';
import type { PublicStatus } from '#core/contract/schemas/responses/tickets';
import type { Language } from '#core/i18n/index';
import { ApiError, get, request } from '../api';
import { BrandBand, hasBranding } from '../branding';
import {
  LanguageProvider,
  LanguageSwitcher,
  Rich,
  ticketLanguageSlot,
  useClock,
  useCustomerLanguage,
  useFormat,
  useLanguage,
  useT,
} from '../i18n';
import { ProblemAlert, useAction } from '../ui';
import { shouldPoll, useTicketLive } from '../use-live';
import { StatusContact } from './status-contact';
import { StatusFeedback } from './status-feedback';
import { StatusNotify } from './status-notify';

/** How often the page asks for news while its push channel is down (the public route allows 120 a minute per IP). */
export const STATUS_POLL_MS = 5_000;
const FINAL = new Set(['done', 'no_show', 'cancelled', 'expired']);

/**
 * The customer's status page (public, opened from the ticket's QR code): code, status, position,
 * estimated wait and, once called, the counter to go to. Updates by itself; cancel while waiting.
 * In the branch's language and time zone (both in the status itself); the customer may switch the
 * language, a choice kept for this ticket in the browser tab.
 */
export function StatusScreen({ token }: { token: string }) {
  const [status, setStatus] = useState<PublicStatus | null>(null);
  const [language, setLanguage] = useCustomerLanguage(status?.language, ticketLanguageSlot(token));
  return (
    <LanguageProvider lang={language}>
      <TicketStatus token={token} status={status} setStatus={setStatus} onLanguage={setLanguage} />
    </LanguageProvider>
  );
}

function TicketStatus({
  token,
  status,
  setStatus,
  onLanguage,
}: {
  token: string;
  status: PublicStatus | null;
  setStatus: (status: PublicStatus) => void;
  onLanguage: (lang: Language) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const format = useFormat();
  const clock = useClock(status?.timezone ?? 'UTC');
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
      ? status.counterName
        ? t('status.documentTitle.called', { counter: status.counterName })
        : t('status.documentTitle.calledAnywhere')
      : t('status.documentTitle', { code: status.code });
    if (called && previous.current && previous.current !== 'called') navigator.vibrate?.([300, 150, 300]);
    previous.current = status.status;
  }, [status, called, t]);

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
        <h1>{t('status.title')}</h1>
        {error instanceof ApiError && error.status === 404 ? (
          <p role="alert">{t('status.notFound')}</p>
        ) : error ? (
          <ProblemAlert error={error} />
        ) : (
          <p role="status">{t('common.loading')}</p>
        )}
      </main>
    );
  }

  const counter = <strong>{status.counterName}</strong>;
  return (
    <main id="main" class={`status-page status-${status.status}`}>
      {hasBranding(status.branding) ? (
        <BrandBand branding={status.branding} fallbackName={status.branchName} />
      ) : null}
      <LanguageSwitcher value={language} onChange={onLanguage} />
      <p class="muted">
        {status.branchName} · {status.queueName ?? t('status.title')}
      </p>
      <h1 class="ticket-code" data-testid="status-code">
        {status.code}
      </h1>
      <p class="status-badge" role="status" aria-live="polite" data-testid="status-text">
        {format.status(status.status)}
      </p>
      {status.status === 'called' || status.status === 'serving' ? (
        <p class="go-to" data-testid="status-counter">
          {status.counterName === null ? (
            t('status.goToAnywhere')
          ) : (
            <Rich k={status.status === 'called' ? 'status.goTo' : 'status.at'} values={{ counter }} />
          )}
        </p>
      ) : null}
      {status.status === 'waiting' ? (
        <dl class="facts">
          <div>
            <dt>{t('status.position')}</dt>
            <dd data-testid="status-position">
              {status.position === null ? '—' : format.number(status.position)}
            </dd>
          </div>
          <div>
            <dt>{t('status.wait')}</dt>
            <dd data-testid="status-wait">
              {status.position === 1 ? t('status.youAreNext') : format.wait(status.estimatedWaitSeconds)}
            </dd>
          </div>
        </dl>
      ) : null}
      {status.calledAt ? (
        <p class="muted" data-testid="status-called-at">
          {t('status.calledAt', { time: clock.time(status.calledAt) })}
        </p>
      ) : null}
      <ProblemAlert error={cancel.error ?? error} />
      {status.status === 'waiting' ? (
        confirming ? (
          <fieldset class="confirm" aria-label={t('status.cancel.confirm')}>
            <p>{t('status.cancel.question')}</p>
            <button type="button" class="danger" disabled={cancel.busy} onClick={() => void doCancel()}>
              {t('status.cancel.yes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('status.cancel.no')}
            </button>
          </fieldset>
        ) : (
          <button type="button" class="secondary" onClick={() => setConfirming(true)}>
            {t('status.cancel')}
          </button>
        )
      ) : null}
      <StatusFeedback token={token} status={status} onGiven={setStatus} />
      <StatusNotify token={token} status={status.status} />
      <StatusContact token={token} />
      <p class="muted small">
        {final ? t('status.closed') : t('status.live')}
        {updatedAt ? ` ${t('status.updatedAt', { time: clock.time(updatedAt) })}` : ''}
      </p>
    </main>
  );
}
