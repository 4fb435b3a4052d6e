import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, fixed, mark, RESULTS_DIR, type SectionResult, table } from './lib/common';

/**
 * Renders bench/RESULTS.md from bench/results/<section>.json (each written by its section), so
 * a section run on its own (`npm run bench -- scale`) updates its part and keeps the others.
 */
export const SECTIONS = [
  'cold-start',
  'cost',
  'scale',
  'overhead',
  'load',
  'status',
  'close-day',
  'nightly',
  'revocation',
  'live',
] as const;

export interface RunInfo {
  startedAt: string;
  seconds: number;
  sections: Array<{ id: string; seconds: number; ok: boolean; error?: string }>;
  quick: boolean;
}

export function renderResults(): string {
  const results = SECTIONS.map((id) => {
    const file = join(RESULTS_DIR, `${id}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SectionResult) : undefined;
  });
  const present = results.filter((r): r is SectionResult => !!r);
  const runFile = join(RESULTS_DIR, 'run.json');
  const run = existsSync(runFile) ? (JSON.parse(readFileSync(runFile, 'utf8')) as RunInfo) : undefined;
  const latest = [...present].sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  const out: string[] = [];
  out.push('# Benchmark results');
  out.push('');
  out.push(
    'Written by `npm run bench` (bench/run.ts; one section: `npm run bench -- <section>`) — do not edit by hand. What the numbers mean and what would change them: [docs/performance.md](../docs/performance.md). Timing targets live here, never in timed tests.',
  );
  out.push('');
  if (latest) {
    const m = latest.machine;
    const commits = [...new Set(present.map((r) => r.commit.sha))];
    out.push(
      table(
        ['', ''],
        [
          [
            'date',
            `${latest.startedAt.slice(0, 16).replace('T', ' ')} UTC${run ? ` (run of ${fixed(run.seconds / 60, 1)} min${run.quick ? ', **quick mode**' : ''})` : ''}`,
          ],
          [
            'commit',
            commits
              .map((sha) => {
                const r = present.find((x) => x.commit.sha === sha)!;
                return `\`${sha.slice(0, 12)}\` ${r.commit.subject}${r.commit.dirtyFiles ? ` + ${r.commit.dirtyFiles} uncommitted file(s) in the shared working tree` : ''}`;
              })
              .join('; '),
          ],
          ['machine', `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}`],
          ['Node.js', m.node],
          [
            'load average (1 min) per section, start → end',
            `${present
              .map(
                (r) =>
                  `${r.id} ${fixed(r.loadAverage?.start ?? Number.NaN)} → ${fixed(r.loadAverage?.end ?? Number.NaN)}`,
              )
              .join(', ')} (the machine is shared with other work; 2 = both cores busy)`,
          ],
          ...(run
            ? [
                [
                  'section run times',
                  run.sections
                    .map(
                      (s) => `${s.id} ${fixed(s.seconds, 0)} s${s.ok ? '' : ` (**${s.error ?? 'failed'}**)`}`,
                    )
                    .join(', '),
                ],
              ]
            : []),
        ],
      ),
    );
    out.push('');
  }
  out.push('## Summary');
  out.push('');
  const rows: string[][] = [];
  for (const r of present)
    for (const b of r.budgets)
      rows.push([r.title.replace(/:.*$/, ''), b.name, b.target, b.measured, mark(b.pass)]);
  out.push(table(['section', 'budget', 'target', 'measured', 'result'], rows));
  const missing = SECTIONS.filter((_, i) => !results[i]);
  if (missing.length) out.push('', `Not measured yet: ${missing.join(', ')}.`);
  for (const r of present) {
    out.push('');
    out.push(`## ${r.title}`);
    out.push('');
    out.push(
      `_Section run ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC in ${fixed(r.seconds, 0)} s, commit \`${r.commit.sha.slice(0, 12)}\`._`,
    );
    out.push('');
    out.push(r.markdown);
  }
  return `${out.join('\n')}\n`;
}

export function writeResults(): string {
  const file = join(BENCH, 'RESULTS.md');
  writeFileSync(file, renderResults());
  return file;
}
