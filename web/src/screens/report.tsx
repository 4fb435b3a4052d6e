import { useEffect, useState } from 'preact/hooks';
import type { BranchReport, GroupBy, Stats } from '#core/contract/schemas/responses/reports';
import type { Branch } from '#core/contract/schemas/responses/setup';
import type { Formats } from '#core/i18n/format';
import type { MessageKey } from '#core/i18n/index';
import { get } from '../api';
import { BarChart } from '../chart';
import { type Translate, useFormat, useT } from '../i18n';
import { Card, Loading, ProblemAlert, useAction } from '../ui';

const GROUP_LABELS: Record<GroupBy, MessageKey> = {
  day: 'report.group.day',
  queue: 'report.group.queue',
  priority: 'report.group.priority',
  counter: 'report.group.counter',
  agent: 'report.group.agent',
  hour: 'report.group.hour',
};

const COLORS = { wait: '#1e88e5', p90: '#90caf9', service: '#f4511e', level: '#43a047' };

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const minutes = (s: number | null) => (s === null ? null : s / 60);

/**
 * The branch report: totals, wait and service time per day and per queue, service-level share,
 * a table grouped at will, and the same table as CSV (fetched with the token, saved as a file).
 */
export function ReportView({ branch }: { branch: Branch }) {
  const t = useT();
  const format = useFormat();
  /** Minutes on the charts' axes: whole from 10 on, one decimal below. */
  const fmtMin = (v: number) => format.number(v >= 10 ? Math.round(v) : v);
  const whole = (v: number) => format.number(Math.round(v));
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

  // Each effect drops its answer once its range or grouping is no longer the one asked for: a
  // slow answer to an earlier choice must not overwrite the table of the latest one.
  useEffect(() => {
    if (!from || !to) return;
    let current = true;
    void load.run(async () => {
      const [d, q] = await Promise.all([
        get<BranchReport>(`${base}?${range}&groupBy=day`),
        get<BranchReport>(`${base}?${range}&groupBy=queue`),
      ]);
      if (!current) return;
      setByDay(d);
      setByQueue(q);
    });
    return () => {
      current = false;
    };
  }, [base, range, from, to, load.run]);

  useEffect(() => {
    if (!from || !to) return;
    if (groupBy === 'day' && byDay?.from === from && byDay.to === to) return setTable(byDay);
    if (groupBy === 'queue' && byQueue?.from === from && byQueue.to === to) return setTable(byQueue);
    // Grouped by day or queue, the answer of the effect above is on its way.
    if (groupBy === 'day' || groupBy === 'queue') return;
    let current = true;
    void load.run(async () => {
      const report = await get<BranchReport>(`${base}?${range}&groupBy=${groupBy}`);
      if (current) setTable(report);
    });
    return () => {
      current = false;
    };
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
    empty: t('report.chart.empty'),
    labels: r?.groups.map((g) => g.label) ?? [],
    series: [
      {
        name: t('report.avgWait'),
        color: COLORS.wait,
        values: r?.groups.map((g) => minutes(g.avgWaitSeconds)) ?? [],
      },
      {
        name: t('report.p90Wait'),
        color: COLORS.p90,
        values: r?.groups.map((g) => minutes(g.p90WaitSeconds)) ?? [],
      },
      {
        name: t('report.avgService'),
        color: COLORS.service,
        values: r?.groups.map((g) => minutes(g.avgServiceSeconds)) ?? [],
      },
    ],
  });
  const levelSeries = (r: BranchReport | null) => ({
    empty: t('report.chart.empty'),
    labels: r?.groups.map((g) => g.label) ?? [],
    series: [
      {
        name: t('report.calledWithinTarget'),
        color: COLORS.level,
        values: r?.groups.map((g) => g.withinTargetPct) ?? [],
      },
    ],
  });

  return (
    <div class="report">
      <form class="row report-controls" onSubmit={(e) => e.preventDefault()} aria-label={t('report.range')}>
        <label class="field" for="report-from">
          <span>{t('report.from')}</span>
          <input
            id="report-from"
            type="date"
            value={from}
            max={to}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
        </label>
        <label class="field" for="report-to">
          <span>{t('report.to')}</span>
          <input
            id="report-to"
            type="date"
            value={to}
            min={from}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
        </label>
        <fieldset class="quick" aria-label={t('report.quick')}>
          <button
            type="button"
            onClick={() => {
              setFrom(today);
              setTo(today);
            }}
          >
            {t('report.today')}
          </button>
          <button
            type="button"
            onClick={() => {
              setFrom(addDays(today, -6));
              setTo(today);
            }}
          >
            {t('report.last7')}
          </button>
          <button
            type="button"
            onClick={() => {
              setFrom(addDays(today, -29));
              setTo(today);
            }}
          >
            {t('report.last30')}
          </button>
        </fieldset>
      </form>
      <ProblemAlert error={load.error} />
      {byDay ? <Totals stats={byDay.totals} /> : <Loading />}
      <div class="charts">
        <BarChart title={t('report.chart.timePerDay')} unit="min" format={fmtMin} {...timeSeries(byDay)} />
        <BarChart
          title={t('report.chart.timePerQueue')}
          unit="min"
          format={fmtMin}
          {...timeSeries(byQueue)}
        />
        <BarChart
          title={t('report.chart.levelPerDay')}
          unit="%"
          max={100}
          format={whole}
          {...levelSeries(byDay)}
        />
        <BarChart
          title={t('report.chart.levelPerQueue')}
          unit="%"
          max={100}
          format={whole}
          {...levelSeries(byQueue)}
        />
      </div>
      <Card
        title={t('report.details')}
        actions={
          <div class="row">
            <label class="field inline" for="report-group">
              <span>{t('report.groupBy')}</span>
              <select
                id="report-group"
                value={groupBy}
                onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy)}
              >
                {Object.entries(GROUP_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {t(label)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => void download()} disabled={csv.busy}>
              {t('report.csv')}
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
  const t = useT();
  const format = useFormat();
  const items: Array<[string, MessageKey, string]> = [
    ['issued', 'report.issued', format.number(stats.issued)],
    ['served', 'report.served', format.number(stats.served)],
    ['noShow', 'report.noShow', format.number(stats.noShow)],
    ['cancelled', 'report.cancelled', format.number(stats.cancelled)],
    ['expired', 'report.expired', format.number(stats.expired)],
    ['avgWait', 'report.avgWait', format.duration(stats.avgWaitSeconds)],
    ['p90Wait', 'report.p90Wait', format.duration(stats.p90WaitSeconds)],
    ['avgService', 'report.avgService', format.duration(stats.avgServiceSeconds)],
    ['withinTarget', 'report.withinTarget', format.percent(stats.withinTargetPct)],
    ['feedbackCount', 'report.feedbackCount', format.number(stats.feedbackCount)],
    ['avgRating', 'report.avgRating', ratingText(t, format, stats.avgRating)],
  ];
  return (
    <dl class="totals" aria-label={t('report.totals')}>
      {items.map(([key, label, value]) => (
        <div key={key}>
          <dt>{t(label)}</dt>
          <dd data-testid={`report-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const COLUMNS: MessageKey[] = [
  'report.issued',
  'report.served',
  'report.noShow',
  'report.cancelled',
  'report.expired',
  'report.avgWait',
  'report.p90Wait',
  'report.maxWait',
  'report.avgService',
  'report.withinTarget',
  'report.feedbackCount',
  'report.avgRating',
];

/** A mean rating as `4.5 / 5`, or a dash when nobody rated. */
const ratingText = (t: Translate, format: Formats, rating: number | null) =>
  rating === null ? '—' : t('report.ratingValue', { value: format.number(rating) });

function ReportTable({ report }: { report: BranchReport }) {
  const t = useT();
  const format = useFormat();
  const rows = [...report.groups, { ...report.totals, key: 'total', label: t('report.total') }];
  const group = t(GROUP_LABELS[report.groupBy]);
  return (
    <div class="table-wrap">
      <table class="table numbers">
        <caption class="sr-only">
          {t('report.caption', { from: report.from, to: report.to, group: group.toLowerCase() })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{group}</th>
            {COLUMNS.map((key) => (
              <th key={key} scope="col">
                {t(key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.key} class={g.key === 'total' ? 'total' : undefined}>
              <th scope="row">{g.label}</th>
              <td>{format.number(g.issued)}</td>
              <td>{format.number(g.served)}</td>
              <td>{format.number(g.noShow)}</td>
              <td>{format.number(g.cancelled)}</td>
              <td>{format.number(g.expired)}</td>
              <td>{format.duration(g.avgWaitSeconds)}</td>
              <td>{format.duration(g.p90WaitSeconds)}</td>
              <td>{format.duration(g.maxWaitSeconds)}</td>
              <td>{format.duration(g.avgServiceSeconds)}</td>
              <td>{format.percent(g.withinTargetPct)}</td>
              <td>{format.number(g.feedbackCount)}</td>
              <td>{ratingText(t, format, g.avgRating)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
