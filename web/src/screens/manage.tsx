import { useEffect, useState } from 'preact/hooks';
import type { ClosedDay } from '#core/contract/schemas/responses/day-close';
import type { Role, User } from '#core/contract/schemas/responses/identity';
import type { BranchToday } from '#core/contract/schemas/responses/reports';
import type { Branch, Counter, Priority, Queue } from '#core/contract/schemas/responses/setup';
import type { Reassigned } from '#core/contract/schemas/responses/tickets';
import type { MessageKey } from '#core/i18n/index';
import { can, get, getAll, newIdempotencyKey, patch, post } from '../api';
import { LANGUAGE_OPTIONS, type Translate, useT } from '../i18n';
import {
  BranchSelect,
  Card,
  Loading,
  ProblemAlert,
  useAction,
  useBranch,
  usePolling,
  WaitingTable,
} from '../ui';
import { useBoard } from './board';
import { ResourceEditor } from './crud';
import { RemoteJoinSetup } from './join-poster';
import { BrandingEditor } from './manage-branding';
import { ReportView } from './report';

const TABS: ReadonlyArray<{ path: string; label: MessageKey }> = [
  { path: '/overview', label: 'manage.tab.today' },
  { path: '/setup', label: 'manage.tab.setup' },
  { path: '/report', label: 'manage.tab.report' },
];

/** Manager dashboard (manager/admin): today's floor (KPIs, alerts, reassign, balance, close-day), setup, reports. */
export function ManageScreen({ subpath }: { subpath: string }) {
  const t = useT();
  const { branches, branch: chosen, setBranchId, error, reload } = useBranch('manage');
  // With several branches and none chosen on this device yet, the first one in scope: never a blank page.
  const branch = chosen ?? branches?.[0];
  const tab = TABS.find((x) => subpath === x.path) ?? TABS[0]!;
  if (error) return <ProblemAlert error={error} />;
  if (!branches) return <Loading />;
  return (
    <main id="main" class="page manage">
      <div class="row manage-head">
        <h1>{t('manage.title')}</h1>
        <BranchSelect branches={branches} value={branch?.id} onChange={setBranchId} id="manage-branch" />
      </div>
      <nav class="tabs" aria-label={t('manage.sections')}>
        {TABS.map((x) => (
          <a key={x.path} href={`#/manage${x.path}`} aria-current={x === tab ? 'page' : undefined}>
            {t(x.label)}
          </a>
        ))}
      </nav>
      {tab.path === '/setup' ? (
        <Setup branch={branch} branches={branches} onBranchesChanged={reload} />
      ) : !branch ? (
        <p class="muted">{t('manage.noBranch')}</p>
      ) : tab.path === '/report' ? (
        <ReportView branch={branch} />
      ) : (
        <Overview branch={branch} />
      )}
    </main>
  );
}

// ---- Today: KPIs, past-target alerts, the floor, reassign, balance and close-day

/** Passing a target is no write, so nothing is pushed for it: the figures are read again this often too. */
const TODAY_REFRESH_MS = 30_000;
/** Waits count up on the screen between reads. */
const TICK_MS = 5_000;
/** A burst of pushed changes is read once. */
const PUSH_DEBOUNCE_MS = 300;

/** A wait as the manager reads it: `45 s`, `12 min`, `1 h 5 min`. */
function formatWaitFor(t: Translate, seconds: number | null): string {
  if (seconds === null) return t('manage.today.none');
  if (seconds < 60) return t('manage.today.seconds', { s: Math.floor(seconds) });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('manage.today.minutes', { m: minutes });
  return t('manage.today.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/**
 * The branch's today figures: read at once, after every pushed change of the branch (the board
 * the screen already receives), and every TODAY_REFRESH_MS; `elapsed` counts the seconds since
 * the last read, ticking every TICK_MS, so the waits shown keep growing in between.
 */
function useToday(branchId: string, pushed: unknown) {
  const [today, setToday] = useState<{ data: BranchToday; readAt: number } | null>(null);
  const [now, setNow] = useState(Date.now());
  const load = async () => {
    const data = await get<BranchToday>(`/v1/branches/${branchId}/today`);
    setToday({ data, readAt: Date.now() });
    setNow(Date.now());
  };
  const error = usePolling(load, TODAY_REFRESH_MS, [branchId]);
  useEffect(() => {
    if (!pushed) return;
    const timer = setTimeout(() => void load().catch(() => {}), PUSH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [pushed]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const current = today?.data.branchId === branchId ? today : null;
  const elapsed = current ? Math.max(0, (now - current.readAt) / 1000) : 0;
  return { today: current?.data ?? null, elapsed, error };
}

function Kpis({ today, elapsed }: { today: BranchToday; elapsed: number }) {
  const t = useT();
  const tiles: Array<{ id: string; label: MessageKey; value: string }> = [
    { id: 'waiting', label: 'manage.today.waitingNow', value: String(today.waitingNow) },
    {
      id: 'longest',
      label: 'manage.today.longestWait',
      value: formatWaitFor(t, today.longestWaitSeconds === null ? null : today.longestWaitSeconds + elapsed),
    },
    { id: 'served', label: 'manage.today.servedToday', value: String(today.servedToday) },
    {
      id: 'within',
      label: 'manage.today.withinTarget',
      value:
        today.withinTargetPct === null
          ? t('manage.today.none')
          : t('manage.today.percent', { value: Math.round(today.withinTargetPct) }),
    },
  ];
  return (
    <section class="kpis span-all" aria-label={t('manage.today.kpis')}>
      {tiles.map((tile) => (
        <div key={tile.id} class="kpi" data-testid={`kpi-${tile.id}`}>
          <span class="kpi-label">{t(tile.label)}</span>
          <strong class="kpi-value">{tile.value}</strong>
        </div>
      ))}
    </section>
  );
}

/** Every waiting ticket past its target, longest first; the region is an alert only while there are some. */
function OverdueAlert({ today, elapsed }: { today: BranchToday; elapsed: number }) {
  const t = useT();
  if (today.overdueCount === 0) {
    return (
      <p class="muted span-all overdue-none" data-testid="overdue-none">
        {t('manage.today.noOverdue')}
      </p>
    );
  }
  const more = today.overdueCount - today.overdue.length;
  return (
    <section class="overdue span-all" role="alert" aria-labelledby="overdue-title">
      <h2 id="overdue-title">
        {t('manage.today.overdueTitle')} ({today.overdueCount})
      </h2>
      <ul>
        {today.overdue.map((o) => (
          <li key={o.ticketId}>
            {t('manage.today.overdueItem', {
              code: o.code,
              queue: o.queueName,
              wait: formatWaitFor(t, o.waitedSeconds + elapsed),
              target: o.targetWaitMinutes,
            })}
          </li>
        ))}
      </ul>
      {more > 0 ? <p>{t('manage.today.overdueMore', { count: more })}</p> : null}
    </section>
  );
}

function Overview({ branch }: { branch: Branch }) {
  const t = useT();
  const { board, error, refresh } = useBoard(branch.id, 5_000);
  const { today, elapsed, error: todayError } = useToday(branch.id, board);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [count, setCount] = useState('');
  const [balance, setBalance] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const [confirmClose, setConfirmClose] = useState(false);
  const action = useAction();
  const base = `/v1/branches/${branch.id}`;

  const reassign = (body: Record<string, unknown>) =>
    action.run(async () => {
      const r = await post<Reassigned>(`${base}/reassign`, body, {
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      // One request moves at most 100: the rest goes with the next press (a count set to it).
      if (body.count !== undefined && r.remaining > 0) setCount(String(r.remaining));
      const moved =
        r.count === 1 ? t('manage.move.movedOne') : t('manage.move.movedMany', { count: r.count });
      setMessage(r.remaining > 0 ? `${moved} ${t('manage.move.remaining', { count: r.remaining })}` : moved);
      await refresh();
    });

  const closeDay = () =>
    action.run(async () => {
      const r = await post<ClosedDay>(`${base}/close-day`);
      setConfirmClose(false);
      setMessage(
        r.expired === 0
          ? t('manage.close.doneNone')
          : r.expired === 1
            ? t('manage.close.doneOne')
            : t('manage.close.doneMany', { count: r.expired }),
      );
      await refresh();
    });

  const queues = board?.queues ?? [];
  // The counters as pushed (at once), with the agent today's read names for the same ticket.
  const agents = new Map(today?.counters.map((c) => [c.id, c]));
  const counters =
    board?.counters.map((c) => {
      const read = agents.get(c.id);
      return { ...c, agent: read && read.current?.code === c.current?.code ? read.agent : null };
    }) ??
    today?.counters ??
    null;
  return (
    <div class="manage-grid">
      <ProblemAlert error={todayError} />
      {today ? (
        <>
          <Kpis today={today} elapsed={elapsed} />
          <OverdueAlert today={today} elapsed={elapsed} />
        </>
      ) : null}
      <Card title={t('manage.today.queues')}>
        <ProblemAlert error={error} />
        {board ? <WaitingTable queues={queues} /> : <Loading />}
      </Card>
      <Card title={t('manage.today.counters')}>
        {counters ? (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('manage.today.counter')}</th>
                  <th scope="col">{t('manage.today.ticket')}</th>
                  <th scope="col">{t('manage.today.status')}</th>
                  <th scope="col">{t('manage.today.agent')}</th>
                </tr>
              </thead>
              <tbody>
                {counters.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.name}</th>
                    <td>{c.current ? <span class="code">{c.current.code}</span> : '—'}</td>
                    <td>
                      {c.current
                        ? t(c.current.status === 'called' ? 'manage.today.called' : 'manage.today.serving')
                        : t('manage.today.free')}
                    </td>
                    <td data-testid={`agent-${c.name}`}>{c.agent?.fullName ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
      {can('tickets:reassign') ? (
        <Card title={t('manage.move.title')}>
          <form
            class="form-grid"
            onSubmit={(e) => {
              e.preventDefault();
              const body: Record<string, unknown> = { fromQueueId: from, toQueueId: to };
              if (count) body.count = Number(count);
              void reassign(body);
            }}
          >
            <QueueSelect
              id="reassign-from"
              label={t('manage.move.from')}
              queues={queues}
              value={from}
              onChange={setFrom}
            />
            <QueueSelect
              id="reassign-to"
              label={t('manage.move.to')}
              queues={queues}
              value={to}
              onChange={setTo}
            />
            <label class="field" for="reassign-count">
              <span>{t('manage.move.count')}</span>
              <input
                id="reassign-count"
                type="number"
                min={1}
                value={count}
                onInput={(e) => setCount(e.currentTarget.value)}
              />
            </label>
            <div class="actions">
              <button type="submit" disabled={action.busy || !from || !to || from === to}>
                {t('manage.move.submit')}
              </button>
            </div>
          </form>
          <form
            class="balance"
            onSubmit={(e) => {
              e.preventDefault();
              void reassign({ mode: 'balance', queueIds: balance });
            }}
          >
            <fieldset class="multi">
              <legend>{t('manage.move.balanceLegend')}</legend>
              {queues.map((q) => (
                <label key={q.id} class="check" for={`balance-${q.id}`}>
                  <input
                    id={`balance-${q.id}`}
                    type="checkbox"
                    checked={balance.includes(q.id)}
                    onChange={(e) =>
                      setBalance(
                        e.currentTarget.checked ? [...balance, q.id] : balance.filter((id) => id !== q.id),
                      )
                    }
                  />
                  <span>{t('manage.move.balanceOption', { name: q.name, waiting: q.waiting })}</span>
                </label>
              ))}
            </fieldset>
            <button type="submit" disabled={action.busy || balance.length < 2}>
              {t('manage.move.balance')}
            </button>
          </form>
        </Card>
      ) : null}
      {can('branches:update') ? (
        <Card title={t('manage.close.title')}>
          <p>{t('manage.close.explain', { day: board?.businessDay ?? branch.businessDay })}</p>
          {confirmClose ? (
            <fieldset class="confirm" aria-label={t('manage.close.confirmLabel')}>
              <p>{t('manage.close.question')}</p>
              <button type="button" class="danger" disabled={action.busy} onClick={() => void closeDay()}>
                {t('manage.close.yes')}
              </button>
              <button type="button" onClick={() => setConfirmClose(false)}>
                {t('manage.close.no')}
              </button>
            </fieldset>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirmClose(true)}>
              {t('manage.close.open')}
            </button>
          )}
        </Card>
      ) : null}
      <div class="span-all">
        <ProblemAlert error={action.error} onDismiss={() => action.setError(null)} />
        <p role="status" class="message">
          {message}
        </p>
      </div>
    </div>
  );
}

function QueueSelect({
  id,
  label,
  queues,
  value,
  onChange,
}: {
  id: string;
  label: string;
  queues: Array<{ id: string; name: string; waiting: number }>;
  value: string;
  onChange: (v: string) => void;
}) {
  const t = useT();
  return (
    <label class="field" for={id}>
      <span>{label}</span>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t('manage.move.choose')}</option>
        {queues.map((q) => (
          <option key={q.id} value={q.id}>
            {t('manage.move.option', { name: q.name, waiting: q.waiting })}
          </option>
        ))}
      </select>
    </label>
  );
}

// ---- Setup: branches, priorities, queues, counters, users

const QUEUE_STATUS: Record<Queue['status'], MessageKey> = {
  open: 'manage.setup.open',
  paused: 'manage.setup.paused',
  closed: 'manage.setup.closed',
};

function Setup({
  branch,
  branches,
  onBranchesChanged,
}: {
  branch: Branch | undefined;
  branches: Branch[];
  onBranchesChanged: () => void;
}) {
  const t = useT();
  const [priorities, setPriorities] = useState<Priority[]>([]);
  const [queues, setQueues] = useState<Queue[]>([]);
  const [roles, setRoles] = useState<Role[]>([]);
  const [version, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  const branchId = branch?.id;

  useEffect(() => {
    void getAll<Priority>('/v1/priorities').then(setPriorities, () => {});
    if (can('roles:read')) void getAll<Role>('/v1/roles').then(setRoles, () => {});
  }, [version]);
  useEffect(() => {
    if (branchId) void getAll<Queue>(`/v1/branches/${branchId}/queues`).then(setQueues, () => {});
  }, [branchId, version]);

  const priorityName = (id: string) => priorities.find((p) => p.id === id)?.name ?? '?';
  const queueName = (id: string) => queues.find((q) => q.id === id)?.name ?? '?';
  const branchName = (id: string) => branches.find((b) => b.id === id)?.name ?? '?';
  const base = `/v1/branches/${branchId}`;

  return (
    <div class="setup">
      <BrandingEditor />
      <ResourceEditor<Branch>
        title={t('manage.setup.branches')}
        noun={t('manage.setup.branch')}
        load={() => getAll<Branch>('/v1/branches')}
        itemLabel={(b) => b.name}
        columns={[
          { label: t('manage.setup.name'), render: (b) => b.name },
          { label: t('manage.setup.timezone'), render: (b) => b.timezone },
          { label: t('manage.setup.dayStarts'), render: (b) => `${String(b.resetHour).padStart(2, '0')}:00` },
          {
            label: t('manage.setup.aging'),
            render: (b) =>
              b.agingMinutes
                ? t('manage.setup.minutes', { count: b.agingMinutes })
                : t('manage.setup.agingOff'),
          },
          { label: t('manage.setup.businessDay'), render: (b) => b.businessDay },
        ]}
        fields={[
          { name: 'name', label: t('manage.setup.name'), kind: 'text', required: true },
          {
            name: 'timezone',
            label: t('manage.setup.timezoneField'),
            kind: 'text',
            required: true,
            hint: t('manage.setup.timezoneHint'),
          },
          {
            name: 'language',
            label: t('manage.setup.language'),
            kind: 'select',
            options: LANGUAGE_OPTIONS,
          },
          { name: 'resetHour', label: t('manage.setup.resetHour'), kind: 'number', min: 0, max: 23 },
          { name: 'agingMinutes', label: t('manage.setup.agingField'), kind: 'number', min: 0 },
          { name: 'address', label: t('manage.setup.address'), kind: 'text', emptyIsNull: true },
          { name: 'printTickets', label: t('manage.setup.printTickets'), kind: 'checkbox' },
        ]}
        initial={(b) => ({
          name: b?.name ?? '',
          timezone: b?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
          language: b?.language ?? 'en',
          resetHour: String(b?.resetHour ?? 3),
          agingMinutes: String(b?.agingMinutes ?? 15),
          address: b?.address ?? '',
          printTickets: b?.printTickets ?? false,
        })}
        create={can('branches:create') ? (body) => post('/v1/branches', body) : undefined}
        update={can('branches:update') ? (b, body) => patch(`/v1/branches/${b.id}`, body) : undefined}
        onChanged={onBranchesChanged}
      />
      <ResourceEditor<Priority>
        title={t('manage.setup.priorities')}
        noun={t('manage.setup.priority')}
        load={() => getAll<Priority>('/v1/priorities')}
        itemLabel={(p) => p.name}
        columns={[
          {
            label: t('manage.setup.name'),
            render: (p) => (
              <>
                {p.color ? (
                  <i class="swatch" style={{ background: p.color }} aria-hidden="true" />
                ) : (
                  <i class="swatch no-colour" title={t('manage.setup.noColour')} aria-hidden="true" />
                )}{' '}
                {p.name}
              </>
            ),
          },
          { label: t('manage.setup.rank'), render: (p) => p.rank },
          {
            label: t('manage.setup.targetWait'),
            render: (p) => t('manage.setup.minutes', { count: p.targetWaitMinutes }),
          },
        ]}
        fields={[
          { name: 'name', label: t('manage.setup.name'), kind: 'text', required: true },
          {
            name: 'rank',
            label: t('manage.setup.rankField'),
            kind: 'number',
            min: 1,
            max: 99,
            required: true,
          },
          { name: 'targetWaitMinutes', label: t('manage.setup.targetWaitField'), kind: 'number', min: 1 },
          { name: 'color', label: t('manage.setup.colour'), kind: 'color' },
          { name: 'description', label: t('manage.setup.description'), kind: 'text', emptyIsNull: true },
        ]}
        initial={(p) => ({
          name: p?.name ?? '',
          rank: p ? String(p.rank) : '',
          targetWaitMinutes: String(p?.targetWaitMinutes ?? 15),
          color: (p?.color ?? '#1e88e5').toLowerCase(),
          description: p?.description ?? '',
        })}
        create={can('priorities:create') ? (body) => post('/v1/priorities', body) : undefined}
        update={can('priorities:update') ? (p, body) => patch(`/v1/priorities/${p.id}`, body) : undefined}
        deps={[version]}
        onChanged={bump}
      />
      {branch ? <RemoteJoinSetup branch={branch} onChanged={onBranchesChanged} /> : null}
      {branchId ? (
        <>
          <ResourceEditor<Queue>
            title={t('manage.setup.queuesOf', { branch: branch?.name ?? '' })}
            noun={t('manage.setup.queue')}
            load={() => getAll<Queue>(`${base}/queues`)}
            itemLabel={(q) => q.name}
            columns={[
              { label: t('manage.setup.name'), render: (q) => q.name },
              { label: t('manage.setup.prefix'), render: (q) => <span class="code">{q.prefix}</span> },
              { label: t('manage.setup.priority'), render: (q) => priorityName(q.priorityId) },
              { label: t('manage.setup.status'), render: (q) => t(QUEUE_STATUS[q.status]) },
              { label: t('manage.setup.waiting'), render: (q) => q.waiting },
            ]}
            fields={[
              { name: 'name', label: t('manage.setup.name'), kind: 'text', required: true },
              {
                name: 'prefix',
                label: t('manage.setup.prefixField'),
                kind: 'text',
                required: true,
                pattern: '[A-Z]{1,3}',
              },
              {
                name: 'priorityId',
                label: t('manage.setup.priority'),
                kind: 'select',
                required: true,
                options: priorities.map((p) => ({ value: p.id, label: p.name })),
              },
              {
                name: 'status',
                label: t('manage.setup.status'),
                kind: 'select',
                options: (['open', 'paused', 'closed'] as const).map((value) => ({
                  value,
                  label: t(QUEUE_STATUS[value]),
                })),
              },
              { name: 'description', label: t('manage.setup.description'), kind: 'text', emptyIsNull: true },
            ]}
            initial={(q) => ({
              name: q?.name ?? '',
              prefix: q?.prefix ?? '',
              priorityId: q?.priorityId ?? '',
              status: q?.status ?? 'open',
              description: q?.description ?? '',
            })}
            create={can('queues:create') ? (body) => post(`${base}/queues`, body) : undefined}
            update={can('queues:update') ? (q, body) => patch(`${base}/queues/${q.id}`, body) : undefined}
            deps={[branchId, version]}
            scope={branchId}
            onChanged={bump}
          />
          <ResourceEditor<Counter>
            title={t('manage.setup.countersOf', { branch: branch?.name ?? '' })}
            noun={t('manage.setup.counter')}
            load={() => getAll<Counter>(`${base}/counters`)}
            itemLabel={(c) => c.name}
            columns={[
              { label: t('manage.setup.name'), render: (c) => c.name },
              { label: t('manage.setup.ownQueues'), render: (c) => c.queueIds.map(queueName).join(', ') },
              {
                label: t('manage.setup.helps'),
                render: (c) => t(c.allowStealing ? 'manage.setup.yes' : 'manage.setup.no'),
              },
            ]}
            fields={[
              { name: 'name', label: t('manage.setup.name'), kind: 'text', required: true },
              {
                name: 'queueIds',
                label: t('manage.setup.ownQueues'),
                kind: 'multi',
                options: queues.map((q) => ({ value: q.id, label: q.name })),
              },
              {
                name: 'allowStealing',
                label: t('manage.setup.stealing'),
                kind: 'checkbox',
              },
            ]}
            initial={(c) => ({
              name: c?.name ?? '',
              queueIds: c?.queueIds ?? [],
              allowStealing: c?.allowStealing ?? true,
            })}
            create={can('counters:create') ? (body) => post(`${base}/counters`, body) : undefined}
            update={can('counters:update') ? (c, body) => patch(`${base}/counters/${c.id}`, body) : undefined}
            deps={[branchId, version]}
            scope={branchId}
          />
        </>
      ) : null}
      {can('users:read') ? (
        <ResourceEditor<User>
          title={t('manage.setup.users')}
          noun={t('manage.setup.user')}
          load={() => getAll<User>('/v1/users')}
          itemLabel={(u) => u.username}
          columns={[
            { label: t('manage.setup.username'), render: (u) => u.username },
            { label: t('manage.setup.name'), render: (u) => u.fullName },
            {
              label: t('manage.setup.role'),
              render: (u) => roles.find((r) => r.id === u.roleId)?.name ?? u.roleId,
            },
            {
              label: t('manage.setup.branches'),
              render: (u) =>
                u.branchIds ? u.branchIds.map(branchName).join(', ') : t('manage.setup.allBranches'),
            },
            {
              label: t('manage.setup.active'),
              render: (u) => t(u.active ? 'manage.setup.yes' : 'manage.setup.no'),
            },
          ]}
          fields={[
            {
              name: 'username',
              label: t('manage.setup.username'),
              kind: 'text',
              required: true,
              only: 'create',
            },
            { name: 'fullName', label: t('manage.setup.fullName'), kind: 'text', required: true },
            { name: 'email', label: t('manage.setup.email'), kind: 'email', emptyIsNull: true },
            {
              name: 'roleId',
              label: t('manage.setup.role'),
              kind: 'select',
              required: true,
              // The server refuses roles granting more than the signed-in user holds; do not offer them.
              options: roles
                .filter((r) => r.permissions.every(can))
                .map((r) => ({ value: r.id, label: r.name })),
            },
            {
              name: 'branchIds',
              label: t('manage.setup.branches'),
              kind: 'multi',
              emptyIsNull: true,
              hint: t('manage.setup.branchesHint'),
              options: branches.map((b) => ({ value: b.id, label: b.name })),
            },
            { name: 'active', label: t('manage.setup.active'), kind: 'checkbox', only: 'update' },
            {
              name: 'password',
              label: t('manage.setup.password'),
              kind: 'password',
              required: true,
              hint: t('manage.setup.passwordHint'),
            },
          ]}
          initial={(u) => ({
            username: u?.username ?? '',
            fullName: u?.fullName ?? '',
            email: u?.email ?? '',
            roleId: u?.roleId ?? '',
            branchIds: u ? (u.branchIds ?? []) : branchId ? [branchId] : [],
            active: u?.active ?? true,
            password: '',
          })}
          create={can('users:create') ? (body) => post('/v1/users', body) : undefined}
          update={can('users:update') ? (u, body) => patch(`/v1/users/${u.id}`, body) : undefined}
        />
      ) : null}
    </div>
  );
}
