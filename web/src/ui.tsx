import { type ComponentChildren, Fragment } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Branch } from '#core/contract/schemas/responses/setup';
import type { Board } from '#core/contract/schemas/responses/tickets';
import { ApiError, getAll } from './api';
import { useFormat, useT } from './i18n';

// ---- Routing: hash routes (`#/kiosk`, `#/t/<token>`), so any static host serves the app.

export interface Route {
  /** e.g. `/manage/report` */
  path: string;
  query: URLSearchParams;
}

function readRoute(): Route {
  // Mail links may use the path form `<APP_URL>/verify-email?token=…` (served index.html).
  if (/\/verify-email\/?$/.test(location.pathname) && !location.hash) {
    return { path: '/verify-email', query: new URLSearchParams(location.search) };
  }
  const hash = location.hash.replace(/^#/, '') || '/';
  const q = hash.indexOf('?');
  return {
    path: q < 0 ? hash : hash.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1)),
  };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const update = () => setRoute(readRoute());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function navigate(path: string, replace = false): void {
  const url = `#${path}`;
  if (replace) {
    history.replaceState(null, '', url);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else location.hash = path;
}

/** The absolute URL of an app route, e.g. for the QR code of a ticket's status page. */
export function appUrl(path: string): string {
  const base = location.pathname.replace(/verify-email\/?$/, '');
  return `${location.origin}${base}#${path}`;
}

// ---- Errors

/** A problem+json error, visibly: title, detail and the field errors, announced to screen readers. */
export function ProblemAlert({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const t = useT();
  if (!error) return null;
  // A request that never reached the server (status 0) is said in the screen's language.
  const problem =
    error instanceof ApiError
      ? error.status === 0
        ? { title: t('common.offline'), detail: t('common.offline.detail'), status: 0 }
        : error.problem
      : { title: t('common.somethingWrong'), detail: String((error as Error)?.message ?? error), status: 0 };
  return (
    <div class="alert" role="alert">
      <div>
        <strong>{problem.title}</strong>
        {problem.status ? <span class="muted"> ({problem.status})</span> : null}
        {problem.detail ? <div>{problem.detail}</div> : null}
        {'errors' in problem && problem.errors?.length ? (
          <ul>
            {problem.errors.map((e) => (
              <li key={e.path}>
                <code>{e.path || '(body)'}</code>: {e.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {onDismiss ? (
        <button type="button" class="ghost" onClick={onDismiss} aria-label={t('common.dismissError')}>
          ×
        </button>
      ) : null}
    </div>
  );
}

// ---- Hooks

/**
 * Runs `task` now and every `ms` while the tab is visible (not at all while `ms` is null, e.g.
 * while a push channel delivers); the latest error is returned.
 */
export function usePolling(task: () => Promise<void>, ms: number | null, deps: unknown[]): unknown {
  const [error, setError] = useState<unknown>(null);
  const taskRef = useRef(task);
  taskRef.current = task;
  useEffect(() => {
    if (ms === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      clearTimeout(timer);
      if (stopped) return;
      let delay = ms;
      if (document.visibilityState !== 'hidden') {
        try {
          await taskRef.current();
          if (!stopped) setError(null);
        } catch (e) {
          if (!stopped) setError(e);
          if (e instanceof ApiError && e.retryAfter) delay = Math.max(ms, e.retryAfter * 1000);
        }
      }
      if (!stopped) timer = setTimeout(tick, delay);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') void tick();
    };
    void tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [...deps, ms]);
  return error;
}

/** An action's busy flag and error around an async call. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

/** A value kept in localStorage (device settings such as the kiosk's branch, never tokens). */
export function useStored(key: string, initial = ''): [string, (v: string) => void] {
  const [value, setValue] = useState(() => localStorage.getItem(key) ?? initial);
  const set = useCallback(
    (v: string) => {
      localStorage.setItem(key, v);
      setValue(v);
    },
    [key],
  );
  return [value, set];
}

// ---- Branch choice, shared by every staff screen

export function useBranches() {
  const [branches, setBranches] = useState<Branch[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    getAll<Branch>('/v1/branches').then(setBranches, setError);
  }, []);
  useEffect(reload, []);
  return { branches, error, reload };
}

/** The branch this device works for: remembered per screen, the only one chosen by itself. */
export function useBranch(screen: string) {
  const { branches, error, reload } = useBranches();
  const [stored, setStored] = useStored(`queueline.${screen}.branch`);
  const branch = branches?.find((b) => b.id === stored) ?? (branches?.length === 1 ? branches[0] : undefined);
  return { branches, branch, setBranchId: setStored, error, reload };
}

export function BranchSelect({
  branches,
  value,
  onChange,
  id = 'branch',
}: {
  branches: Branch[];
  value: string | undefined;
  onChange: (id: string) => void;
  id?: string;
}) {
  const t = useT();
  return (
    <label class="field" for={id}>
      <span>{t('common.branch')}</span>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="" disabled>
          {t('common.chooseBranch')}
        </option>
        {branches.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <p class="muted" role="status" aria-live="polite">
      {label ?? t('common.loading')}
    </p>
  );
}

/**
 * The queues of a board: waiting count, estimated wait and the next codes. `own` marks a
 * counter's queues (the agent console); their waiting cells carry `agent-waiting-<prefix>`.
 */
export function WaitingTable({ queues, own }: { queues: Board['queues']; own?: readonly string[] }) {
  const t = useT();
  const format = useFormat();
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">{t('common.waitingTable.queue')}</th>
          <th scope="col">{t('common.waitingTable.waiting')}</th>
          <th scope="col">{t('common.waitingTable.wait')}</th>
          <th scope="col">{t('common.waitingTable.next')}</th>
        </tr>
      </thead>
      <tbody>
        {queues.map((q) => {
          const mine = own?.includes(q.id) ?? false;
          return (
            <tr key={q.id} class={mine ? 'own' : undefined}>
              <th scope="row">
                {q.name} <span class="muted">({q.prefix})</span>
                {mine ? <span class="muted"> {t('common.waitingTable.yours')}</span> : null}
              </th>
              <td data-testid={own ? `agent-waiting-${q.prefix}` : undefined}>{q.waiting}</td>
              <td>{q.waiting ? format.wait(q.estimatedWaitSeconds) : '—'}</td>
              <td>
                {q.next.map((code, i) => (
                  <Fragment key={code}>
                    {i > 0 ? ', ' : null}
                    <span class="code">{code}</span>
                  </Fragment>
                ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function Card({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="card" aria-label={title}>
      <header class="card-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}
