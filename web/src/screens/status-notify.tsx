import { useState } from 'preact/hooks';
import type { PublicStatus, PushKey } from '#core/contract/schemas/responses/tickets';
import { ApiError, get, request } from '../api';
import { useT } from '../i18n';
import { ProblemAlert, useAction } from '../ui';

/** Whether this browser can take web push at all (a secure context with a service worker and the Push API). */
const canPush = () =>
  typeof window !== 'undefined' &&
  window.isSecureContext &&
  'serviceWorker' in navigator &&
  'PushManager' in window &&
  'Notification' in window;

/** A VAPID key (base64url) as PushManager.subscribe() takes it. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * On the status page while the ticket is waiting or called: "Notify me on this device" (web
 * push: the service worker web/public/sw.js, the server's VAPID key, the browser's subscription
 * sent to `POST …/subscriptions`) and a form for SMS and email messages (`POST …/notify`).
 * The messages come when the turn is near and when the ticket is called.
 */
export function StatusNotify({ token, status }: { token: string; status: PublicStatus['status'] }) {
  const t = useT();
  const [pushState, setPushState] = useState<'idle' | 'on' | 'blocked' | 'failed'>(
    canPush() && Notification.permission === 'denied' ? 'blocked' : 'idle',
  );
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [signedUp, setSignedUp] = useState(false);
  const [missing, setMissing] = useState(false);
  const push = useAction();
  const form = useAction();
  const base = `/v1/public/tickets/${encodeURIComponent(token)}`;

  if (status !== 'waiting' && status !== 'called') return null;

  // The browser refusing (no push service, a private window) is said in the page's words; an
  // answer of the server shows as a problem.
  const subscribe = () =>
    push.run(async () => {
      try {
        await subscribeHere();
      } catch (error) {
        if (error instanceof ApiError) throw error;
        setPushState('failed');
      }
    });

  const subscribeHere = async () => {
    if ((await Notification.requestPermission()) !== 'granted') {
      setPushState('blocked');
      return;
    }
    const registration = await navigator.serviceWorker.register('./sw.js');
    await navigator.serviceWorker.ready;
    const { publicKey } = await get<PushKey>('/v1/public/push-key', { auth: false });
    const subscription =
      (await registration.pushManager.getSubscription()) ??
      (await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(publicKey),
      }));
    const { endpoint, keys } = subscription.toJSON();
    await request('POST', `${base}/subscriptions`, { auth: false, body: { endpoint, keys } });
    setPushState('on');
  };

  const signUp = (event: Event) => {
    event.preventDefault();
    const body = {
      ...(phone.trim() && { phone: phone.trim() }),
      ...(email.trim() && { email: email.trim() }),
    };
    setMissing(Object.keys(body).length === 0);
    if (Object.keys(body).length === 0) return;
    void form.run(async () => {
      await request('POST', `${base}/notify`, { auth: false, body });
      setSignedUp(true);
    });
  };

  return (
    <section class="status-notify" aria-labelledby="status-notify-title" data-testid="status-notify">
      <h2 id="status-notify-title">{t('status.notify.title')}</h2>
      <p class="muted">{t('status.notify.intro')}</p>
      {canPush() ? (
        pushState === 'on' ? (
          <p role="status" data-testid="push-on">
            {t('status.notify.pushOn')}
          </p>
        ) : pushState === 'blocked' ? (
          <p role="status" data-testid="push-blocked">
            {t('status.notify.pushBlocked')}
          </p>
        ) : pushState === 'failed' ? (
          <p role="status" data-testid="push-failed">
            {t('status.notify.pushFailed')}
          </p>
        ) : (
          <button type="button" disabled={push.busy} onClick={() => void subscribe()}>
            {t('status.notify.push')}
          </button>
        )
      ) : null}
      <ProblemAlert error={push.error} />
      {signedUp ? (
        <p role="status" data-testid="notify-done">
          {t('status.notify.done')}
        </p>
      ) : (
        <form class="status-notify-form" onSubmit={signUp} noValidate>
          <label class="field" for="notify-phone">
            <span>{t('status.notify.phone')}</span>
            <input
              id="notify-phone"
              name="phone"
              type="tel"
              autocomplete="tel"
              inputMode="tel"
              value={phone}
              onInput={(e) => setPhone(e.currentTarget.value)}
            />
            <small>{t('status.notify.phoneHint')}</small>
          </label>
          <label class="field" for="notify-email">
            <span>{t('status.notify.email')}</span>
            <input
              id="notify-email"
              name="email"
              type="email"
              autocomplete="email"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </label>
          {missing ? <p role="alert">{t('status.notify.needOne')}</p> : null}
          <ProblemAlert error={form.error} />
          <button type="submit" disabled={form.busy}>
            {t('status.notify.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
