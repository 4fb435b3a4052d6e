import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Language, MessageKey } from '#core/i18n/index';
import { can, currentSession, logout, onSessionChange, refreshSession, type Session } from './api';
import { LanguageProvider, LanguageSwitcher, useLanguage, useStaffLanguage, useT } from './i18n';
import { AgentScreen } from './screens/agent';
import { BoardScreen } from './screens/board';
import { JoinScreen } from './screens/join';
import { KioskScreen } from './screens/kiosk';
import { LoginScreen } from './screens/login';
import { ManageScreen } from './screens/manage';
import { ForgotPasswordScreen, ResetPasswordScreen } from './screens/password-reset';
import { StatusScreen } from './screens/status';
import { VerifyEmailScreen } from './screens/verify';
import { Loading, navigate, useRoute } from './ui';

interface Screen {
  path: string;
  label: MessageKey;
  /** Shown to a session with this permission. */
  allowed: () => boolean;
}

/** The staff screens, in the order a role's home is chosen: the first one it may open. */
const SCREENS: Screen[] = [
  {
    path: '/manage',
    label: 'shell.nav.manage',
    allowed: () => can('reports:read') || can('branches:update'),
  },
  { path: '/agent', label: 'shell.nav.agent', allowed: () => can('tickets:serve') },
  { path: '/kiosk', label: 'shell.nav.kiosk', allowed: () => can('tickets:create') && can('queues:read') },
  { path: '/board', label: 'shell.nav.board', allowed: () => can('tickets:read') && can('branches:read') },
];

const homeOf = (): string => SCREENS.find((s) => s.allowed())?.path ?? '/none';

/** Pages for someone not signed in, besides a ticket's status page `#/t/<token>` and a join page `#/join/<branchId>`. */
const PUBLIC_PAGES = ['/verify-email', '/forgot-password', '/reset-password'];

/**
 * Staff pages show in the user's language (chosen in the header or on the sign-in page, kept in
 * this browser); the customer's status page, the board and the kiosk set their own (the branch's).
 */
export function App() {
  const [language, setLanguage] = useStaffLanguage();
  return (
    <LanguageProvider lang={language}>
      <Routes onLanguage={setLanguage} />
    </LanguageProvider>
  );
}

function Routes({ onLanguage }: { onLanguage: (lang: Language) => void }) {
  const route = useRoute();
  const t = useT();
  const [session, setSession] = useState<Session | null>(currentSession());
  const [restoring, setRestoring] = useState(true);
  const [notice, setNotice] = useState<MessageKey>();

  useEffect(() => {
    const off = onSessionChange((s) => {
      setSession((previous) => {
        if (previous && !s) setNotice('shell.signedOut');
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
  const isPublic = path.startsWith('/t/') || path.startsWith('/join/') || PUBLIC_PAGES.includes(path);
  const screen = SCREENS.find((s) => path === s.path || path.startsWith(`${s.path}/`));
  // A signed-in user on a route they may not open (or on #/login) goes to their role's screen.
  const redirect = !isPublic && session && !screen?.allowed() && homeOf() !== path ? homeOf() : null;
  useEffect(() => {
    if (redirect) navigate(redirect, true);
  }, [redirect]);

  if (path.startsWith('/t/')) {
    const token = decodeURIComponent(path.slice(3));
    return <StatusScreen key={token} token={token} />;
  }
  if (path.startsWith('/join/')) {
    const branchId = decodeURIComponent(path.slice('/join/'.length));
    return <JoinScreen key={branchId} branchId={branchId} />;
  }
  if (path === '/verify-email') return <VerifyEmailScreen token={query.get('token')} />;
  if (path === '/forgot-password') return <ForgotPasswordScreen />;
  if (path === '/reset-password') return <ResetPasswordScreen token={query.get('token')} />;
  if (restoring) return <Loading label={t('common.starting')} />;
  if (!session) return <LoginScreen notice={notice && t(notice)} onLanguage={onLanguage} />;
  if (redirect) return null;

  // A lobby kiosk's session shows the kiosk alone: no header, navigation, sign-out or link away
  // (staff leave it with the account's password, from the kiosk itself: docs/kiosk.md).
  if (session.user.roleId === 'kiosk' && screen?.path === '/kiosk') return <KioskScreen />;

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
            <p role="alert">{t('shell.noScreen')}</p>
          </main>
        );
    }
  })();
  // The staff screens' language: this device's choice (English by default).
  return (
    <Shell session={session} current={screen?.path} compact={full} onLanguage={onLanguage}>
      {content}
    </Shell>
  );
}

function Shell({
  session,
  current,
  compact,
  onLanguage,
  children,
}: {
  session: Session;
  current?: string;
  compact: boolean;
  onLanguage: (lang: Language) => void;
  children: ComponentChildren;
}) {
  const t = useT();
  const language = useLanguage();
  const screens = SCREENS.filter((s) => s.allowed());
  // `lang` here too: a board or kiosk inside may set the page's language to its branch's.
  return (
    <div class={compact ? 'shell compact' : 'shell'} lang={language}>
      <button type="button" class="skip" onClick={skipToMain}>
        {t('shell.skip')}
      </button>
      <header class="topbar">
        <span class="brand">Queueline</span>
        {screens.length > 1 ? (
          <nav aria-label={t('shell.screens')}>
            {screens.map((s) => (
              <a key={s.path} href={`#${s.path}`} aria-current={s.path === current ? 'page' : undefined}>
                {t(s.label)}
              </a>
            ))}
          </nav>
        ) : null}
        <span class="spacer" />
        <LanguageSwitcher value={language} onChange={onLanguage} />
        <span class="who" title={session.user.username}>
          {session.user.fullName}
        </span>
        <button type="button" class="ghost" onClick={() => void logout()}>
          {t('shell.signOut')}
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
