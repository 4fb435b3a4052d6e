import { useState } from 'preact/hooks';
import type { Language } from '#core/i18n/index';
import { ApiError, lastTenant, login } from '../api';
import { LanguageSwitcher, useLanguage, useT } from '../i18n';
import { ProblemAlert, useAction } from '../ui';

/**
 * Sign-in for every staff role (tenant, username, password); the app then opens the role's screen.
 * The language chosen here is the staff screens' from then on.
 */
export function LoginScreen({
  notice,
  onLanguage,
}: {
  notice?: string;
  onLanguage: (lang: Language) => void;
}) {
  const t = useT();
  const language = useLanguage();
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
        <LanguageSwitcher value={language} onChange={onLanguage} />
        <h1 id="login-title">{t('login.title')}</h1>
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
          <span>{t('login.password')}</span>
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
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        <a href="#/forgot-password">{t('login.forgot')}</a>
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
  const t = useT();
  const fields = [
    {
      name: 'tenant',
      label: t('login.organisation'),
      autoComplete: 'organization',
      value: tenant,
      onChange: onTenant,
    },
    {
      name: 'username',
      label: t('login.username'),
      autoComplete: 'username',
      value: username,
      onChange: onUsername,
    },
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
  const t = useT();
  if (!(error instanceof ApiError)) return <ProblemAlert error={error} />;
  let detail = error.problem.detail;
  if (error.status === 401) detail = t('login.wrong');
  if (error.status === 429 && error.retryAfter)
    detail = t('login.tooManyAttempts', { minutes: Math.ceil(error.retryAfter / 60) });
  if (error.code === 'email-not-verified') detail = t('login.unverified');
  return <ProblemAlert error={new ApiError({ ...error.problem, detail })} />;
}
