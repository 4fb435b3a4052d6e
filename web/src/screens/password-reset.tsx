import { useState } from 'preact/hooks';
import { ApiError, lastTenant, post } from '../api';
import { ProblemAlert, useAction } from '../ui';
import { AccountFields } from './login';

const MIN_PASSWORD = 10;
const MAX_PASSWORD = 128;

/** `#/forgot-password`: asks for a reset link. The answer never says whether the account exists. */
export function ForgotPasswordScreen() {
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
        <h1 id="forgot-title">Reset your password</h1>
        {sent ? (
          <p class="notice" role="status">
            If this account exists and has an email address, we sent it a link to choose a new password. The
            link works once, for 30 minutes.
          </p>
        ) : (
          <>
            <p class="muted">We will email a link to the address of your account.</p>
            <AccountFields
              form="forgot"
              account={[tenant, username]}
              onTenant={setTenant}
              onUsername={setUsername}
            />
            <RateLimitAlert error={error} />
            <button type="submit" class="primary wide" disabled={busy}>
              {busy ? 'Sending…' : 'Send the link'}
            </button>
          </>
        )}
        <a href="#/login">Back to sign in</a>
      </form>
    </main>
  );
}

/** `#/reset-password?token=…`, the link of the reset mail: a new password, typed twice. */
export function ResetPasswordScreen({ token }: { token: string | null }) {
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
        <h1 id="reset-title">Choose a new password</h1>
        {done ? (
          <>
            <p role="status" class="ok">
              Your password is changed, and every device signed in with the old one is signed out. Sign in
              with the new password.
            </p>
            <a href="#/login" class="button primary">
              Go to sign in
            </a>
          </>
        ) : !token ? (
          <p role="alert">This link has no token. Ask for a new one.</p>
        ) : (
          <>
            <label class="field" for="reset-password">
              <span>New password</span>
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
              {MIN_PASSWORD} to {MAX_PASSWORD} characters.
            </p>
            <label class="field" for="reset-repeat">
              <span>Repeat the new password</span>
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
            {mismatch ? <p role="alert">The two passwords differ.</p> : null}
            <RateLimitAlert error={error} />
            <button type="submit" class="primary wide" disabled={busy}>
              {busy ? 'Saving…' : 'Set the new password'}
            </button>
          </>
        )}
        {done ? null : <a href="#/forgot-password">Ask for a new link</a>}
      </form>
    </main>
  );
}

/** The problem as it came, with a 429's wait spelled out. */
function RateLimitAlert({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || error.status !== 429 || !error.retryAfter) {
    return <ProblemAlert error={error} />;
  }
  const minutes = Math.ceil(error.retryAfter / 60);
  const detail = `Too many requests. Try again in ${minutes} min.`;
  return <ProblemAlert error={new ApiError({ ...error.problem, detail })} />;
}
