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
        <AccountFields
          form="login"
          account={[tenant, username]}
          onTenant={setTenant}
          onUsername={setUsername}
        />
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

/** Organisation and username, as the sign-in and the password reset forms ask for them. */
export function AccountFields({
  form,
  account: [tenant, username],
  onTenant,
  onUsername,
}: {
  form: string;
  account: [tenant: string, username: string];
  onTenant: (value: string) => void;
  onUsername: (value: string) => void;
}) {
  const fields = [
    {
      name: 'tenant',
      label: 'Organisation',
      autoComplete: 'organization',
      value: tenant,
      onChange: onTenant,
    },
    { name: 'username', label: 'Username', autoComplete: 'username', value: username, onChange: onUsername },
  ];
  return (
    <>
      {fields.map((f) => (
        <label key={f.name} class="field" for={`${form}-${f.name}`}>
          <span>{f.label}</span>
          <input
            id={`${form}-${f.name}`}
            name={f.name}
            autoComplete={f.autoComplete}
            autoCapitalize="none"
            required
            value={f.value}
            onInput={(e) => f.onChange(e.currentTarget.value)}
          />
        </label>
      ))}
    </>
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
