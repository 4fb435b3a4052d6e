import { useEffect, useState } from 'preact/hooks';
import { post } from '../api';
import { useT } from '../i18n';
import { ProblemAlert } from '../ui';

/** `#/verify-email?token=…` (or `<APP_URL>/verify-email?token=…`): confirms a signup's email address. */
export function VerifyEmailScreen({ token }: { token: string | null }) {
  const t = useT();
  const [state, setState] = useState<'working' | 'done' | 'failed'>('working');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!token) {
      setState('failed');
      return;
    }
    post<{ verified: boolean }>('/v1/auth/verify-email', { token }, { auth: false }).then(
      () => setState('done'),
      (e) => {
        setError(e);
        setState('failed');
      },
    );
  }, [token]);
  return (
    <main class="login" id="main">
      <section class="card login-card" aria-labelledby="verify-title">
        <h1 id="verify-title">{t('login.verify.title')}</h1>
        {state === 'working' ? <p role="status">{t('login.verify.working')}</p> : null}
        {state === 'done' ? (
          <p role="status" class="ok">
            {t('login.verify.done')}
          </p>
        ) : null}
        {state === 'failed' ? (
          error ? (
            <ProblemAlert error={error} />
          ) : (
            <p role="alert">{t('login.verify.noToken')}</p>
          )
        ) : null}
        <p>
          <a href="#/login" class="button primary">
            {t('common.goToSignIn')}
          </a>
        </p>
      </section>
    </main>
  );
}
