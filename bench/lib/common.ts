import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Shared helpers of `npm run bench`: paths, machine, statistics, Markdown, section results. */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH = join(ROOT, 'bench');
export const RESULTS_DIR = join(BENCH, 'results');

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export function machine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export interface Commit {
  sha: string;
  subject: string;
  /** Files changed in the working tree, not yet committed (others work in the same tree). */
  dirtyFiles: number;
}

export function commit(): Commit {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return '';
    }
  };
  return {
    sha: git('rev-parse', 'HEAD').trim() || 'unknown',
    subject: git('log', '-1', '--format=%s').trim(),
    dirtyFiles: git('status', '--porcelain').split('\n').filter(Boolean).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Linear interpolation between closest ranks (the "type 7" estimator of R and NumPy).
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
export const median = (values: readonly number[]) => quantile(values, 0.5);
export const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
export const mean = (values: readonly number[]) => (values.length ? sum(values) / values.length : Number.NaN);

/** Total length of the union of [start, end] intervals (overlapping parallel calls count once). */
export function unionLength(intervals: ReadonlyArray<readonly [number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = Number.NEGATIVE_INFINITY;
  let curEnd = Number.NEGATIVE_INFINITY;
  for (const [s, e] of sorted) {
    if (s > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = s;
      curEnd = e;
    } else if (e > curEnd) curEnd = e;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

export { random } from '#tests/support/aggregates';

export function shuffle<T>(items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const kib = (bytes: number) => (bytes / 1024).toFixed(1);
/** A size difference in KiB with its sign: +12.3, −4.5. */
export const signedKib = (bytes: number) => `${bytes < 0 ? '−' : '+'}${kib(Math.abs(bytes))}`;
export const usd = (n: number, digits = 4) => `$${n.toFixed(digits)}`;
export const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
export const mark = (pass: boolean | null) => (pass === null ? 'info' : pass ? '**PASS**' : '**FAIL**');

/** A GitHub-flavoured Markdown table; `align` per column: 'l' (default) or 'r'. */
export function table(headers: string[], rows: Array<Array<string | number>>, align?: string): string {
  const a = (i: number) => (align?.[i] === 'r' ? '---:' : '---');
  const cell = (v: string | number) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${headers.map((_, i) => a(i)).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Progress and results

const started = performance.now();
/** Progress goes to stderr: the sections' stdout carries the handlers' JSON logs (discarded). */
export function progress(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${s}s] ${message}\n`);
}

export interface Budget {
  /** What is budgeted, e.g. "enqueue requests". */
  name: string;
  target: string;
  measured: string;
  /** null: reported, not budgeted. */
  pass: boolean | null;
}

const LOAD_AT_START = os.loadavg();

export interface SectionResult {
  id: string;
  title: string;
  startedAt: string;
  seconds: number;
  machine: Machine;
  commit: Commit;
  /** 1-minute load average when the section started and when it ended (others share the machine). */
  loadAverage: { start: number; end: number };
  budgets: Budget[];
  /** The section's Markdown (tables and notes), without its heading. */
  markdown: string;
  /** Raw figures for later analysis. */
  data?: unknown;
}

/** Writes bench/results/<id>.json, from which bench/report.ts renders RESULTS.md. */
export function saveSection(
  result: Omit<SectionResult, 'machine' | 'commit' | 'loadAverage'>,
): SectionResult {
  const full: SectionResult = {
    ...result,
    machine: machine(),
    commit: commit(),
    loadAverage: { start: LOAD_AT_START[0]!, end: os.loadavg()[0]! },
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeJson(join(RESULTS_DIR, `${result.id}.json`), full);
  return full;
}

/** Writes JSON in the repo's format (Biome's), so that `npm run lint` stays clean. */
export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  try {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', file], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  } catch {
    // Formatting is cosmetic; the file is valid JSON either way.
  }
}

/** Command-line flags shared by the sections: `--quick` shrinks every loop (a smoke run). */
export const QUICK = process.argv.includes('--quick');
export const scaled = (full: number, quick: number) => (QUICK ? quick : full);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
