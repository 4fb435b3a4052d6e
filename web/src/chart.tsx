/**
 * Hand-made SVG bar charts (no chart library: a few grouped bars need none). Each chart has a
 * title, a legend and per-bar <title>s, and the same figures are in the report table below it.
 */

export interface Series {
  name: string;
  color: string;
  values: Array<number | null>;
}

export function BarChart({
  title,
  labels,
  series,
  unit,
  max: fixedMax,
  format = (v) => String(Math.round(v)),
  empty,
}: {
  title: string;
  /** Said instead of the chart when there is nothing to draw. */
  empty: string;
  labels: string[];
  series: Series[];
  unit: string;
  max?: number;
  format?: (v: number) => string;
}) {
  const width = 640;
  const height = 240;
  const pad = { top: 16, right: 12, bottom: 44, left: 48 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = fixedMax ?? niceMax(Math.max(1, ...all));
  const groupW = labels.length ? plotW / labels.length : plotW;
  const barW = Math.max(2, Math.min(40, (groupW * 0.8) / Math.max(1, series.length)));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong>
        <span class="legend">
          {series.map((s) => (
            <span key={s.name}>
              <i style={{ background: s.color }} aria-hidden="true" /> {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      {labels.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title} (${unit})`}>
          <title>{`${title} (${unit})`}</title>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} class="grid" />
              <text x={pad.left - 6} y={y(t) + 4} text-anchor="end" class="tick">
                {format(t)}
              </text>
            </g>
          ))}
          {labels.map((label, i) => {
            const x0 = pad.left + i * groupW + (groupW - barW * series.length) / 2;
            return (
              <g key={label}>
                {series.map((s, j) => {
                  const v = s.values[i];
                  if (v === null || v === undefined) return null;
                  const top = y(Math.min(v, max));
                  return (
                    <rect
                      key={s.name}
                      x={x0 + j * barW}
                      y={top}
                      width={barW - 1}
                      height={Math.max(0, pad.top + plotH - top)}
                      fill={s.color}
                    >
                      <title>{`${label} — ${s.name}: ${format(v)} ${unit}`}</title>
                    </rect>
                  );
                })}
                <text
                  x={pad.left + i * groupW + groupW / 2}
                  y={height - pad.bottom + 16}
                  text-anchor="middle"
                  class="tick"
                >
                  {label.length > 14 ? `${label.slice(0, 13)}…` : label}
                </text>
              </g>
            );
          })}
          <text x={pad.left} y={height - 6} class="tick">
            {unit}
          </text>
        </svg>
      )}
    </figure>
  );
}

function niceMax(v: number): number {
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}
