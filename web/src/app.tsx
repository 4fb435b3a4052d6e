import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { resolveLanguage } from '#core/i18n/index';
import { can, currentSession, logout, onSessionChange, refreshSession, type Session } from './api';
import { LanguageProvider } from './i18n';
import { AgentScreen } from './screens/agent';
import { BoardScreen } from './screens/board';
import { KioskScreen } from './screens/kiosk';
import { LoginScreen } from './screens/login';
import { ManageScreen } from './screens/manage';
import { ForgotPasswordScreen, ResetPasswordScreen } from './screens/password-reset';
import { StatusScreen } from './screens/status';
import { VerifyEmailScreen } from './screens/verify';
import { Loading, navigate, useRoute } from './ui';

interface Screen {
  path: string;
  label: string;
  /** Shown to a session with this permission. */
  allowed: () => boolean;
}

/** The staff screens, in the order a role's home is chosen: the first one it may open. */
const SCREENS: Screen[] = [
  { path: '/manage', label: 'Manage', allowed: () => can('reports:read') || can('branches:update') },
  { path: '/agent', label: 'Agent console', allowed: () => can('tickets:serve') },
  { path: '/kiosk', label: 'Kiosk', allowed: () => can('tickets:create') && can('queues:read') },
  { path: '/board', label: 'Display board', allowed: () => can('tickets:read') && can('branches:read') },
];

const homeOf = (): string => SCREENS.find((s) => s.allowed())?.path ?? '/none';

/** Pages for someone not signed in, besides a ticket's status page `#/t/<token>`. */
const PUBLIC_PAGES = ['/verify-email', '/forgot-password', '/reset-password'];

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null>(currentSession());
  const [restoring, setRestoring] = useState(true);
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    const off = onSessionChange((s) => {
      setSession((previous) => {
        if (previous && !s) setNotice('You were signed out.');
        return s;
      });
    });
    // A reload keeps the tab's refresh token: renew the session from it.
    refreshSession()
      .catch(() => null)
      .finally(() => setRestoring(false));
    return () => {
      off();
    };
  }, []);

  const { path, query } = route;
  const isPublic = path.startsWith('/t/') || PUBLIC_PAGES.includes(path);
  const screen = SCREENS.find((s) => path === s.path || path.startsWith(`${s.path}/`));
  // A signed-in user on a route they may not open (or on #/login) goes to their role's screen.
  const redirect = !isPublic && session && !screen?.allowed() && homeOf() !== path ? homeOf() : null;
  useEffect(() => {
    if (redirect) navigate(redirect, true);
  }, [redirect]);

  if (path.startsWith('/t/')) return <StatusScreen token={decodeURIComponent(path.slice(3))} />;
  if (path === '/verify-email') return <VerifyEmailScreen token={query.get('token')} />;
  if (path === '/forgot-password') return <ForgotPasswordScreen />;
  if (path === '/reset-password') return <ResetPasswordScreen token={query.get('token')} />;
  if (restoring) return <Loading label="Starting…" />;
  if (!session) return <LoginScreen notice={notice} />;
  if (redirect) return null;

  const full = path === '/kiosk' || path === '/board';
  const content = (() => {
    switch (screen?.path) {
      case '/kiosk':
        return <KioskScreen />;
      case '/board':
        return <BoardScreen />;
      case '/agent':
        return <AgentScreen />;
      case '/manage':
        return <ManageScreen subpath={path.slice('/manage'.length)} />;
      default:
        return (
          <main id="main" class="page">
            <p role="alert">Your role has no screen in this app.</p>
          </main>
        );
    }
  })();
  // The staff screens' language: this device's choice (English by default).
  return (
    <LanguageProvider lang={resolveLanguage(localStorage.getItem('queueline.language'))}>
      <Shell session={session} current={screen?.path} compact={full}>
        {content}
      </Shell>
    </LanguageProvider>
  );
}

function Shell({
  session,
  current,
  compact,
  children,
}: {
  session: Session;
  current?: string;
  compact: boolean;
  children: ComponentChildren;
}) {
  const screens = SCREENS.filter((s) => s.allowed());
  return (
    <div class={compact ? 'shell compact' : 'shell'}>
      <button type="button" class="skip" onClick={skipToMain}>
        Skip to content
      </button>
      <header class="topbar">
        <span class="brand">Queueline</span>
        {screens.length > 1 ? (
          <nav aria-label="Screens">
            {screens.map((s) => (
              <a key={s.path} href={`#${s.path}`} aria-current={s.path === current ? 'page' : undefined}>
                {s.label}
              </a>
            ))}
          </nav>
        ) : null}
        <span class="spacer" />
        <span class="who" title={session.user.username}>
          {session.user.fullName}
        </span>
        <button type="button" class="ghost" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      {children}
    </div>
  );
}

function skipToMain() {
  const main = document.getElementById('main');
  main?.setAttribute('tabindex', '-1');
  main?.focus();
}
