import { useEffect, useState } from 'preact/hooks';
import type { ClosedDay } from '#core/contract/schemas/responses/day-close';
import type { Role, User } from '#core/contract/schemas/responses/identity';
import type { Branch, Counter, Priority, Queue } from '#core/contract/schemas/responses/setup';
import type { Reassigned } from '#core/contract/schemas/responses/tickets';
import { can, getAll, newIdempotencyKey, patch, post } from '../api';
import { LANGUAGE_OPTIONS } from '../i18n';
import { BranchSelect, Card, Loading, ProblemAlert, useAction, useBranch, WaitingTable } from '../ui';
import { useBoard } from './board';
import { ResourceEditor } from './crud';
import { ReportView } from './report';

const TABS = [
  { path: '/overview', label: 'Today' },
  { path: '/setup', label: 'Setup' },
  { path: '/report', label: 'Reports' },
] as const;

/** Manager dashboard (manager/admin): today's floor (reassign, balance, close-day), setup, reports. */
export function ManageScreen({ subpath }: { subpath: string }) {
  const { branches, branch, setBranchId, error, reload } = useBranch('manage');
  const tab = TABS.find((t) => subpath === t.path) ?? TABS[0];
  if (error) return <ProblemAlert error={error} />;
  if (!branches) return <Loading />;
  return (
    <main id="main" class="page manage">
      <div class="row manage-head">
        <h1>Manage</h1>
        <BranchSelect branches={branches} value={branch?.id} onChange={setBranchId} id="manage-branch" />
      </div>
      <nav class="tabs" aria-label="Manager sections">
        {TABS.map((t) => (
          <a key={t.path} href={`#/manage${t.path}`} aria-current={t === tab ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      {tab.path === '/setup' ? (
        <Setup branch={branch} branches={branches} onBranchesChanged={reload} />
      ) : !branch ? (
        <p class="muted">Choose a branch.</p>
      ) : tab.path === '/report' ? (
        <ReportView branch={branch} />
      ) : (
        <Overview branch={branch} />
      )}
    </main>
  );
}

// ---- Today: the floor, reassign, balance and close-day

function Overview({ branch }: { branch: Branch }) {
  const { board, error, refresh } = useBoard(branch.id, 5_000);
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
      const rest = r.remaining > 0 ? ` ${r.remaining} more to move: press again.` : '';
      setMessage(`Moved ${r.count} ticket${r.count === 1 ? '' : 's'}.${rest}`);
      await refresh();
    });

  const closeDay = () =>
    action.run(async () => {
      const r = await post<ClosedDay>(`${base}/close-day`);
      setConfirmClose(false);
      setMessage(
        `Closed business day ${r.businessDay}: ${r.expired} open ticket${r.expired === 1 ? '' : 's'} expired. Numbering restarts for ${r.nextBusinessDay}.`,
      );
      await refresh();
    });

  const queues = board?.queues ?? [];
  return (
    <div class="manage-grid">
      <Card title="Queues now">
        <ProblemAlert error={error} />
        {board ? <WaitingTable queues={queues} /> : <Loading />}
      </Card>
      <Card title="Counters now">
        {board ? (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Counter</th>
                <th scope="col">Ticket</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {board.counters.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>{c.current?.code ?? '—'}</td>
                  <td>{c.current ? (c.current.status === 'called' ? 'Called' : 'Serving') : 'Free'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Card>
      {can('tickets:reassign') ? (
        <Card title="Move waiting customers">
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
              label="From queue"
              queues={queues}
              value={from}
              onChange={setFrom}
            />
            <QueueSelect id="reassign-to" label="To queue" queues={queues} value={to} onChange={setTo} />
            <label class="field" for="reassign-count">
              <span>How many (empty: all)</span>
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
                Move the first in line
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
              <legend>Balance these queues</legend>
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
                  <span>
                    {q.name} ({q.waiting})
                  </span>
                </label>
              ))}
            </fieldset>
            <button type="submit" disabled={action.busy || balance.length < 2}>
              Balance
            </button>
          </form>
        </Card>
      ) : null}
      {can('branches:update') ? (
        <Card title="End of day">
          <p>
            Business day <strong>{board?.businessDay ?? branch.businessDay}</strong>. Closing it expires the
            tickets still waiting or called, completes those being served, and restarts numbering at 1.
          </p>
          {confirmClose ? (
            <fieldset class="confirm" aria-label="Confirm closing the day">
              <p>Close the business day now?</p>
              <button type="button" class="danger" disabled={action.busy} onClick={() => void closeDay()}>
                Yes, close the day
              </button>
              <button type="button" onClick={() => setConfirmClose(false)}>
                No
              </button>
            </fieldset>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirmClose(true)}>
              Close the day…
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
  return (
    <label class="field" for={id}>
      <span>{label}</span>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">Choose…</option>
        {queues.map((q) => (
          <option key={q.id} value={q.id}>
            {q.name} ({q.waiting} waiting)
          </option>
        ))}
      </select>
    </label>
  );
}

// ---- Setup: branches, priorities, queues, counters, users

function Setup({
  branch,
  branches,
  onBranchesChanged,
}: {
  branch: Branch | undefined;
  branches: Branch[];
  onBranchesChanged: () => void;
}) {
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
      <ResourceEditor<Branch>
        title="Branches"
        noun="Branch"
        load={() => getAll<Branch>('/v1/branches')}
        itemLabel={(b) => b.name}
        columns={[
          { label: 'Name', render: (b) => b.name },
          { label: 'Time zone', render: (b) => b.timezone },
          { label: 'Day starts', render: (b) => `${String(b.resetHour).padStart(2, '0')}:00` },
          { label: 'Aging', render: (b) => (b.agingMinutes ? `${b.agingMinutes} min` : 'off') },
          { label: 'Business day', render: (b) => b.businessDay },
        ]}
        fields={[
          { name: 'name', label: 'Name', kind: 'text', required: true },
          {
            name: 'timezone',
            label: 'Time zone (IANA)',
            kind: 'text',
            required: true,
            hint: 'e.g. Europe/Madrid',
          },
          {
            name: 'language',
            label: 'Language of customer screens',
            kind: 'select',
            options: LANGUAGE_OPTIONS,
          },
          { name: 'resetHour', label: 'Business day starts at (hour)', kind: 'number', min: 0, max: 23 },
          { name: 'agingMinutes', label: 'Aging (minutes per rank, 0 = off)', kind: 'number', min: 0 },
          { name: 'address', label: 'Address', kind: 'text', emptyIsNull: true },
        ]}
        initial={(b) => ({
          name: b?.name ?? '',
          timezone: b?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
          language: b?.language ?? 'en',
          resetHour: String(b?.resetHour ?? 3),
          agingMinutes: String(b?.agingMinutes ?? 15),
          address: b?.address ?? '',
        })}
        create={can('branches:create') ? (body) => post('/v1/branches', body) : undefined}
        update={can('branches:update') ? (b, body) => patch(`/v1/branches/${b.id}`, body) : undefined}
        onChanged={onBranchesChanged}
      />
      <ResourceEditor<Priority>
        title="Priorities"
        noun="Priority"
        load={() => getAll<Priority>('/v1/priorities')}
        itemLabel={(p) => p.name}
        columns={[
          {
            label: 'Name',
            render: (p) => (
              <>
                <i class="swatch" style={{ background: p.color ?? 'transparent' }} aria-hidden="true" />{' '}
                {p.name}
              </>
            ),
          },
          { label: 'Rank', render: (p) => p.rank },
          { label: 'Target wait', render: (p) => `${p.targetWaitMinutes} min` },
        ]}
        fields={[
          { name: 'name', label: 'Name', kind: 'text', required: true },
          { name: 'rank', label: 'Rank (1 = most urgent)', kind: 'number', min: 1, max: 99, required: true },
          { name: 'targetWaitMinutes', label: 'Target wait (minutes)', kind: 'number', min: 1 },
          { name: 'color', label: 'Colour', kind: 'color' },
          { name: 'description', label: 'Description', kind: 'text', emptyIsNull: true },
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
      {branchId ? (
        <>
          <ResourceEditor<Queue>
            title={`Queues of ${branch?.name}`}
            noun="Queue"
            load={() => getAll<Queue>(`${base}/queues`)}
            itemLabel={(q) => q.name}
            columns={[
              { label: 'Name', render: (q) => q.name },
              { label: 'Prefix', render: (q) => q.prefix },
              { label: 'Priority', render: (q) => priorityName(q.priorityId) },
              { label: 'Status', render: (q) => q.status },
              { label: 'Waiting', render: (q) => q.waiting },
            ]}
            fields={[
              { name: 'name', label: 'Name', kind: 'text', required: true },
              {
                name: 'prefix',
                label: 'Prefix (1–3 capital letters)',
                kind: 'text',
                required: true,
                pattern: '[A-Z]{1,3}',
              },
              {
                name: 'priorityId',
                label: 'Priority',
                kind: 'select',
                required: true,
                options: priorities.map((p) => ({ value: p.id, label: p.name })),
              },
              {
                name: 'status',
                label: 'Status',
                kind: 'select',
                options: [
                  { value: 'open', label: 'Open' },
                  { value: 'paused', label: 'Paused (no new tickets)' },
                  { value: 'closed', label: 'Closed' },
                ],
              },
              { name: 'description', label: 'Description', kind: 'text', emptyIsNull: true },
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
            title={`Counters of ${branch?.name}`}
            noun="Counter"
            load={() => getAll<Counter>(`${base}/counters`)}
            itemLabel={(c) => c.name}
            columns={[
              { label: 'Name', render: (c) => c.name },
              { label: 'Own queues', render: (c) => c.queueIds.map(queueName).join(', ') },
              { label: 'Helps other queues', render: (c) => (c.allowStealing ? 'yes' : 'no') },
            ]}
            fields={[
              { name: 'name', label: 'Name', kind: 'text', required: true },
              {
                name: 'queueIds',
                label: 'Own queues',
                kind: 'multi',
                options: queues.map((q) => ({ value: q.id, label: q.name })),
              },
              {
                name: 'allowStealing',
                label: 'Call from other queues when its own are empty',
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
          title="Users"
          noun="User"
          load={() => getAll<User>('/v1/users')}
          itemLabel={(u) => u.username}
          columns={[
            { label: 'Username', render: (u) => u.username },
            { label: 'Name', render: (u) => u.fullName },
            { label: 'Role', render: (u) => roles.find((r) => r.id === u.roleId)?.name ?? u.roleId },
            {
              label: 'Branches',
              render: (u) => (u.branchIds ? u.branchIds.map(branchName).join(', ') : 'all'),
            },
            { label: 'Active', render: (u) => (u.active ? 'yes' : 'no') },
          ]}
          fields={[
            { name: 'username', label: 'Username', kind: 'text', required: true, only: 'create' },
            { name: 'fullName', label: 'Full name', kind: 'text', required: true },
            { name: 'email', label: 'Email', kind: 'email', emptyIsNull: true },
            {
              name: 'roleId',
              label: 'Role',
              kind: 'select',
              required: true,
              // The server refuses roles granting more than the signed-in user holds; do not offer them.
              options: roles
                .filter((r) => r.permissions.every(can))
                .map((r) => ({ value: r.id, label: r.name })),
            },
            {
              name: 'branchIds',
              label: 'Branches',
              kind: 'multi',
              emptyIsNull: true,
              hint: 'None ticked: every branch.',
              options: branches.map((b) => ({ value: b.id, label: b.name })),
            },
            { name: 'active', label: 'Active', kind: 'checkbox', only: 'update' },
            {
              name: 'password',
              label: 'Password (10+ characters)',
              kind: 'password',
              required: true,
              hint: 'When editing: leave empty to keep it.',
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
