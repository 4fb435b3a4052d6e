import { useState } from 'preact/hooks';
import { ApiError, lastTenant, post } from '../api';
import { useT } from '../i18n';
import { ProblemAlert, useAction } from '../ui';
import { AccountFields } from './login';

const MIN_PASSWORD = 10;
const MAX_PASSWORD = 128;

/** `#/forgot-password`: asks for a reset link. The answer never says whether the account exists. */
export function ForgotPasswordScreen() {
  const t = useT();
  const [tenant, setTenant] = useState(lastTenant());
  const [username, setUsername] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const body = { tenant: tenant.trim(), username: username.trim() };
    if (await run(() => post('/v1/auth/forgot-password', body, { auth: false }).then(() => true)))
      setSent(true);
  };

  return (
    <main class="login" id="main">
      <form class="card login-card" onSubmit={onSubmit} aria-labelledby="forgot-title">
        <h1 id="forgot-title">{t('login.forgot.title')}</h1>
        {sent ? (
          <p class="notice" role="status">
            {t('login.forgot.sent')}
          </p>
        ) : (
          <>
            <p class="muted">{t('login.forgot.intro')}</p>
            <AccountFields
              form="forgot"
              account={[tenant, username]}
              onTenant={setTenant}
              onUsername={setUsername}
            />
            <RateLimitAlert error={error} />
            <button type="submit" class="primary wide" disabled={busy}>
              {busy ? t('login.forgot.sending') : t('login.forgot.submit')}
            </button>
          </>
        )}
        <a href="#/login">{t('login.forgot.back')}</a>
      </form>
    </main>
  );
}

/** `#/reset-password?token=…`, the link of the reset mail: a new password, typed twice. */
export function ResetPasswordScreen({ token }: { token: string | null }) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setMismatch(password !== repeat);
    if (password !== repeat || !token) return;
    const body = { token, password };
    if (await run(() => post('/v1/auth/reset-password', body, { auth: false }).then(() => true)))
      setDone(true);
  };

  return (
    <main class="login" id="main">
      <form class="card login-card" onSubmit={onSubmit} aria-labelledby="reset-title">
        <h1 id="reset-title">{t('login.reset.title')}</h1>
        {done ? (
          <>
            <p role="status" class="ok">
              {t('login.reset.done')}
            </p>
            <a href="#/login" class="button primary">
              {t('common.goToSignIn')}
            </a>
          </>
        ) : !token ? (
          <p role="alert">{t('login.reset.noToken')}</p>
        ) : (
          <>
            <label class="field" for="reset-password">
              <span>{t('login.reset.password')}</span>
              <input
                id="reset-password"
                name="password"
                type="password"
                autoComplete="new-password"
                minLength={MIN_PASSWORD}
                maxLength={MAX_PASSWORD}
                required
                aria-describedby="reset-rules"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </label>
            <p id="reset-rules" class="muted small">
              {t('login.reset.rules', { min: MIN_PASSWORD, max: MAX_PASSWORD })}
            </p>
            <label class="field" for="reset-repeat">
              <span>{t('login.reset.repeat')}</span>
              <input
                id="reset-repeat"
                name="repeat"
                type="password"
                autoComplete="new-password"
                required
                value={repeat}
                onInput={(e) => setRepeat(e.currentTarget.value)}
              />
            </label>
            {mismatch ? <p role="alert">{t('login.reset.mismatch')}</p> : null}
            <RateLimitAlert error={error} />
            <button type="submit" class="primary wide" disabled={busy}>
              {busy ? t('login.reset.saving') : t('login.reset.submit')}
            </button>
          </>
        )}
        {done ? null : <a href="#/forgot-password">{t('login.reset.askAgain')}</a>}
      </form>
    </main>
  );
}

/** The problem as it came, with a 429's wait spelled out. */
function RateLimitAlert({ error }: { error: unknown }) {
  const t = useT();
  if (!(error instanceof ApiError) || error.status !== 429 || !error.retryAfter) {
    return <ProblemAlert error={error} />;
  }
  const detail = t('login.tooManyRequests', { minutes: Math.ceil(error.retryAfter / 60) });
  return <ProblemAlert error={new ApiError({ ...error.problem, detail })} />;
}
