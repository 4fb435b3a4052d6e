import { useState } from 'preact/hooks';
import { ApiError, lastTenant, login } from '../api';
import { ProblemAlert, useAction } from '../ui';

/** Sign-in for every staff role (tenant, username, password); the app then opens the role's screen. */
export function LoginScreen({ notice }: { notice?: string }) {
  const [tenant, setTenant] = useState(lastTenant());
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void run(() => login(tenant.trim(), username.trim(), password));
  };

  return (
    <main class="login" id="main">
      <form class="card login-card" onSubmit={onSubmit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Queueline</h1>
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
        <label class="field" for="login-tenant">
          <span>Organisation</span>
          <input
            id="login-tenant"
            name="tenant"
            autoComplete="organization"
            autoCapitalize="none"
            required
            value={tenant}
            onInput={(e) => setTenant(e.currentTarget.value)}
          />
        </label>
        <label class="field" for="login-username">
          <span>Username</span>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label class="field" for="login-password">
          <span>Password</span>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <LoginError error={error} />
        <button type="submit" class="primary wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <a href="#/forgot-password">Forgot password?</a>
      </form>
    </main>
  );
}

function LoginError({ error }: { error: unknown }) {
  if (!(error instanceof ApiError)) return <ProblemAlert error={error} />;
  let detail = error.problem.detail;
  if (error.status === 401) detail = 'Wrong organisation, username or password.';
  if (error.status === 429 && error.retryAfter)
    detail = `Too many failed attempts. Try again in ${Math.ceil(error.retryAfter / 60)} min.`;
  if (error.code === 'email-not-verified')
    detail = 'Confirm your email address first: open the link we sent you.';
  return <ProblemAlert error={new ApiError({ ...error.problem, detail })} />;
}
