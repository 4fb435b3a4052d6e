import { useEffect, useState } from 'preact/hooks';
import type { BranchReport, GroupBy, Stats } from '#core/contract/schemas/responses/reports';
import type { Branch } from '#core/contract/schemas/responses/setup';
import { get } from '../api';
import { BarChart } from '../chart';
import { Card, formatSeconds, Loading, ProblemAlert, useAction } from '../ui';

const GROUP_LABELS: Record<GroupBy, string> = {
  day: 'Day',
  queue: 'Queue',
  priority: 'Priority',
  counter: 'Counter',
  agent: 'Agent',
  hour: 'Hour of issue',
};

const COLORS = { wait: '#1e88e5', p90: '#90caf9', service: '#f4511e', level: '#43a047' };

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const minutes = (s: number | null) => (s === null ? null : s / 60);
const fmtMin = (v: number) => (v >= 10 ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, ''));

/**
 * The branch report: totals, wait and service time per day and per queue, service-level share,
 * a table grouped at will, and the same table as CSV (fetched with the token, saved as a file).
 */
export function ReportView({ branch }: { branch: Branch }) {
  const today = branch.businessDay;
  const [from, setFrom] = useState(addDays(today, -6));
  const [to, setTo] = useState(today);
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [byDay, setByDay] = useState<BranchReport | null>(null);
  const [byQueue, setByQueue] = useState<BranchReport | null>(null);
  const [table, setTable] = useState<BranchReport | null>(null);
  const load = useAction();
  const csv = useAction();
  const base = `/v1/branches/${branch.id}/report`;
  const range = `from=${from}&to=${to}`;

  useEffect(() => {
    if (!from || !to) return;
    void load.run(async () => {
      const [d, q] = await Promise.all([
        get<BranchReport>(`${base}?${range}&groupBy=day`),
        get<BranchReport>(`${base}?${range}&groupBy=queue`),
      ]);
      setByDay(d);
      setByQueue(q);
    });
  }, [base, range, from, to, load.run]);

  useEffect(() => {
    if (!from || !to) return;
    if (groupBy === 'day' && byDay?.from === from && byDay.to === to) return setTable(byDay);
    if (groupBy === 'queue' && byQueue?.from === from && byQueue.to === to) return setTable(byQueue);
    void load.run(async () => setTable(await get<BranchReport>(`${base}?${range}&groupBy=${groupBy}`)));
  }, [base, range, from, to, groupBy, byDay, byQueue, load.run]);

  const download = () =>
    csv.run(async () => {
      const text = await get<string>(`${base}?${range}&groupBy=${groupBy}&format=csv`);
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `report-${branch.name.replace(/\W+/g, '-').toLowerCase()}-${from}-${to}-${groupBy}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });

  const timeSeries = (r: BranchReport | null) => ({
    labels: r?.groups.map((g) => g.label) ?? [],
    series: [
      {
        name: 'Average wait',
        color: COLORS.wait,
        values: r?.groups.map((g) => minutes(g.avgWaitSeconds)) ?? [],
      },
      { name: 'P90 wait', color: COLORS.p90, values: r?.groups.map((g) => minutes(g.p90WaitSeconds)) ?? [] },
      {
        name: 'Average service',
        color: COLORS.service,
        values: r?.groups.map((g) => minutes(g.avgServiceSeconds)) ?? [],
      },
    ],
  });
  const levelSeries = (r: BranchReport | null) => ({
    labels: r?.groups.map((g) => g.label) ?? [],
    series: [
      {
        name: 'Called within target',
        color: COLORS.level,
        values: r?.groups.map((g) => g.withinTargetPct) ?? [],
      },
    ],
  });

  return (
    <div class="report">
      <form class="row report-controls" onSubmit={(e) => e.preventDefault()} aria-label="Report range">
        <label class="field" for="report-from">
          <span>From</span>
          <input
            id="report-from"
            type="date"
            value={from}
            max={to}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
        </label>
        <label class="field" for="report-to">
          <span>To</span>
          <input
            id="report-to"
            type="date"
            value={to}
            min={from}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
        </label>
        <fieldset class="quick" aria-label="Quick ranges">
          <button
            type="button"
            onClick={() => {
              setFrom(today);
              setTo(today);
            }}
          >
            Today
          </button>
          <button
            type="button"
            onClick={() => {
              setFrom(addDays(today, -6));
              setTo(today);
            }}
          >
            Last 7 days
          </button>
          <button
            type="button"
            onClick={() => {
              setFrom(addDays(today, -29));
              setTo(today);
            }}
          >
            Last 30 days
          </button>
        </fieldset>
      </form>
      <ProblemAlert error={load.error} />
      {byDay ? <Totals stats={byDay.totals} /> : <Loading />}
      <div class="charts">
        <BarChart title="Wait and service time per day" unit="min" format={fmtMin} {...timeSeries(byDay)} />
        <BarChart
          title="Wait and service time per queue"
          unit="min"
          format={fmtMin}
          {...timeSeries(byQueue)}
        />
        <BarChart title="Service level per day" unit="%" max={100} {...levelSeries(byDay)} />
        <BarChart title="Service level per queue" unit="%" max={100} {...levelSeries(byQueue)} />
      </div>
      <Card
        title="Details"
        actions={
          <div class="row">
            <label class="field inline" for="report-group">
              <span>Group by</span>
              <select
                id="report-group"
                value={groupBy}
                onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy)}
              >
                {Object.entries(GROUP_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => void download()} disabled={csv.busy}>
              Download CSV
            </button>
          </div>
        }
      >
        <ProblemAlert error={csv.error} />
        {table ? <ReportTable report={table} /> : <Loading />}
      </Card>
    </div>
  );
}

function Totals({ stats }: { stats: Stats }) {
  const items: Array<[string, string, string]> = [
    ['issued', 'Issued', String(stats.issued)],
    ['served', 'Served', String(stats.served)],
    ['noShow', 'No-show', String(stats.noShow)],
    ['cancelled', 'Cancelled', String(stats.cancelled)],
    ['expired', 'Expired', String(stats.expired)],
    ['avgWait', 'Average wait', formatSeconds(stats.avgWaitSeconds)],
    ['p90Wait', 'P90 wait', formatSeconds(stats.p90WaitSeconds)],
    ['avgService', 'Average service', formatSeconds(stats.avgServiceSeconds)],
    [
      'withinTarget',
      'Within target',
      stats.withinTargetPct === null ? '—' : `${Math.round(stats.withinTargetPct)} %`,
    ],
  ];
  return (
    <dl class="totals" aria-label="Totals">
      {items.map(([key, label, value]) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd data-testid={`report-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ReportTable({ report }: { report: BranchReport }) {
  const rows = [...report.groups, { ...report.totals, key: 'total', label: 'Total' }];
  return (
    <div class="table-wrap">
      <table class="table numbers">
        <caption class="sr-only">
          Report {report.from} to {report.to} by {GROUP_LABELS[report.groupBy].toLowerCase()}
        </caption>
        <thead>
          <tr>
            <th scope="col">{GROUP_LABELS[report.groupBy]}</th>
            <th scope="col">Issued</th>
            <th scope="col">Served</th>
            <th scope="col">No-show</th>
            <th scope="col">Cancelled</th>
            <th scope="col">Expired</th>
            <th scope="col">Avg wait</th>
            <th scope="col">P90 wait</th>
            <th scope="col">Max wait</th>
            <th scope="col">Avg service</th>
            <th scope="col">Within target</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.key} class={g.key === 'total' ? 'total' : undefined}>
              <th scope="row">{g.label}</th>
              <td>{g.issued}</td>
              <td>{g.served}</td>
              <td>{g.noShow}</td>
              <td>{g.cancelled}</td>
              <td>{g.expired}</td>
              <td>{formatSeconds(g.avgWaitSeconds)}</td>
              <td>{formatSeconds(g.p90WaitSeconds)}</td>
              <td>{formatSeconds(g.maxWaitSeconds)}</td>
              <td>{formatSeconds(g.avgServiceSeconds)}</td>
              <td>{g.withinTargetPct === null ? '—' : `${Math.round(g.withinTargetPct)} %`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
