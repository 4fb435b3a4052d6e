import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import {
  BENCH,
  type Budget,
  fixed,
  kib,
  median,
  progress,
  QUICK,
  ROOT,
  random,
  saveSection,
  scaled,
  shuffle,
  signedKib,
  table,
} from '#bench/lib/common';
import { functionNames, memoryMb } from '#infra/functions';
import { esbuildOptions } from '#scripts/build';

/**
 * Section 1 — cold start. Builds every function with `npm run build` (into a temp dir outside
 * the repo, so dist/ is left alone and no node_modules above the bundles can hide a missing
 * dependency), builds bench/baseline.ts and bench/empty.ts with the same esbuild settings,
 * then times fresh `node --input-type=module -e "await import(…)"` processes, interleaving the
 * functions with the baseline and the empty module in a shuffled order every round. An esbuild
 * metafile of the same build says which packages and modules fill each bundle.
 */

const ROUNDS = scaled(15, 3);
const SIZE_BUDGET_BYTES = 100 * 1024;
const RATIO_BUDGET = 1.15;

interface Target {
  name: string;
  file: string;
  kind: 'function' | 'baseline' | 'empty' | 'component';
}

/** Components imported alone (bench/components/*.ts): what each shared dependency costs at load. */
const COMPONENTS: Record<string, string> = {
  'zod-mini': 'zod/mini alone, with one small schema',
  'zod-routes':
    'zod/mini + one entry of the route table (core/contract/routes/tickets/call-next.ts), as its function imports it: its request schemas built, nothing else',
  'zod-routes-built': 'the whole ticket area with every schema built at load, responses included (as before)',
  logger: 'the Powertools Logger instance (functions/commons/logger.ts)',
  'jwt-verify': "aws-jwt-verify's JwtVerifier (functions/commons/auth.ts)",
  middy: '@middy/core with an empty chain',
};

/** Newest modification time under the sources a bundle is built from. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['functions', 'core', 'infra']) walk(join(ROOT, dir));
  for (const file of ['package-lock.json', 'scripts/build.ts'])
    newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  return newest;
}

/** dist/functions when it holds every function and is newer than every source, else undefined. */
function freshDist(names: readonly string[]): string | undefined {
  const dist = join(ROOT, 'dist', 'functions');
  if (!existsSync(join(dist, 'sizes.json'))) return undefined;
  const files = names.map((n) => join(dist, `${n}.mjs`));
  if (!files.every((f) => existsSync(f))) return undefined;
  const oldest = Math.min(...files.map((f) => statSync(f).mtimeMs));
  return oldest > newestSource() && !process.argv.includes('--rebuild') ? dist : undefined;
}

interface Sample {
  processMs: number;
  importMs: number;
  /** CPU time (user + system) of the whole child process at the end of the import: start-up included. */
  cpuMs: number;
}

function lambdaEnv(name: string): NodeJS.ProcessEnv {
  // What a Lambda process sees, more or less — and nothing of ours (no NODE_OPTIONS, no loaders).
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(name.startsWith('bench-') ? 512 : memoryMb(name)),
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    TABLE_NAME: 'queueline',
    LOG_LEVEL: 'info',
  };
}

function runOnce(target: Target, cwd: string): Sample | { error: string } {
  const url = pathToFileURL(target.file).href;
  const code = `const t=performance.now();await import(${JSON.stringify(url)});const i=performance.now()-t;const u=process.cpuUsage();process.stdout.write(JSON.stringify([i,(u.user+u.system)/1000]));`;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd,
    env: lambdaEnv(target.kind === 'function' ? target.name : `bench-${target.name}`),
    encoding: 'utf8',
    timeout: 20_000,
  });
  const processMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    const why = (r.stderr || r.error?.message || `exit ${r.status} ${r.signal ?? ''}`).trim().split('\n');
    return { error: why.find((l) => /Error/.test(l)) ?? why[0] ?? 'failed' };
  }
  const [importMs, cpuMs] = JSON.parse(r.stdout) as [number, number];
  return { processMs, importMs, cpuMs };
}

// ---------------------------------------------------------------------------------------------
// Metafile analysis

/** `@aws-sdk/client-dynamodb`, `zod`, or a first-party folder such as `core/domain`. */
function groupOf(path: string): string {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const parts = path.split('/');
  if (parts[0] === 'functions') return parts.length > 2 ? `functions/${parts[1]}` : 'functions/(entry)';
  if (parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0] ?? path;
}

const FIRST_PARTY = /^(core|functions|infra|local|bench|scripts)\b/;

function familyOf(group: string): string {
  if (FIRST_PARTY.test(group)) return 'first-party';
  if (/^@(aws-sdk|smithy|aws-crypto)\//.test(group) || group === '@aws/lambda-invoke-store') return 'AWS SDK';
  if (group.startsWith('@aws-lambda-powertools/')) return 'Powertools';
  if (group === 'zod') return 'zod';
  if (group === 'aws-jwt-verify') return 'aws-jwt-verify';
  if (group.startsWith('@middy/')) return 'middy';
  if (group === 'jose') return 'jose';
  return 'other';
}
const FAMILIES = ['AWS SDK', 'zod', 'Powertools', 'aws-jwt-verify', 'middy', 'jose', 'other', 'first-party'];

type Inputs = Record<string, { bytesInOutput: number }>;

function outputInputs(meta: Metafile, name: string): Inputs {
  const key = Object.keys(meta.outputs).find((k) => k.endsWith(`/${name}.mjs`));
  if (!key) throw new Error(`metafile has no output for ${name}`);
  return meta.outputs[key]!.inputs;
}

function byGroup(inputs: Inputs): Map<string, number> {
  const out = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const g = groupOf(path);
    out.set(g, (out.get(g) ?? 0) + bytesInOutput);
  }
  return out;
}

function byFamily(groups: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [g, b] of groups) out.set(familyOf(g), (out.get(familyOf(g)) ?? 0) + b);
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'queueline-bench-cold-'));
  try {
    const fnDir = join(tmp, 'functions');
    const refDir = join(tmp, 'reference');
    const dist = freshDist(functionNames());
    // The metafile build (for the analysis only) runs alongside `npm run build`.
    const metaBuild = build({
      ...esbuildOptions(functionNames(), join(tmp, 'meta')),
      write: false,
      metafile: true,
    });
    let source: string;
    if (dist) {
      // Copied out of the repo all the same: nothing above the bundles may resolve a package.
      progress('cold-start: dist/functions is newer than every source: reusing it');
      cpSync(dist, fnDir, { recursive: true });
      source = 'dist/functions, reused: newer than every source file';
    } else {
      progress(`cold-start: npm run build -- --outdir ${fnDir}`);
      const built = await new Promise<{ status: number | null; output: string }>((resolve) => {
        const child = spawn('npm', ['run', 'build', '--', '--outdir', fnDir], { cwd: ROOT });
        let output = '';
        child.stdout.on('data', (c) => {
          output += c;
        });
        child.stderr.on('data', (c) => {
          output += c;
        });
        child.on('exit', (status) => resolve({ status, output }));
      });
      if (built.status !== 0) throw new Error(`npm run build failed:\n${built.output}`);
      source = '`npm run build -- --outdir <temp dir>` (dist/ was older than the sources)';
    }
    const sizes = JSON.parse(readFileSync(join(fnDir, 'sizes.json'), 'utf8')) as Record<
      string,
      { bytes: number; gzipBytes: number }
    >;
    const names = functionNames().filter((n) => sizes[n]);

    progress('cold-start: baseline and empty bundles (same esbuild settings), metafile of every bundle');
    mkdirSync(refDir, { recursive: true });
    const ref = await build({
      ...esbuildOptions([], refDir),
      entryPoints: {
        baseline: join(BENCH, 'baseline.ts'),
        empty: join(BENCH, 'empty.ts'),
        ...Object.fromEntries(Object.keys(COMPONENTS).map((c) => [c, join(BENCH, 'components', `${c}.ts`)])),
      },
      metafile: true,
    });
    const meta = await metaBuild;
    const baselineBytes = readFileSync(join(refDir, 'baseline.mjs')).length;
    const emptyBytes = readFileSync(join(refDir, 'empty.mjs')).length;

    // ---- timing
    const targets: Target[] = names.map((name) => ({
      name,
      file: join(fnDir, `${name}.mjs`),
      kind: 'function',
    }));
    const baseline: Target = { name: 'baseline', file: join(refDir, 'baseline.mjs'), kind: 'baseline' };
    const empty: Target = { name: 'empty', file: join(refDir, 'empty.mjs'), kind: 'empty' };
    const components: Target[] = Object.keys(COMPONENTS).map((name) => ({
      name,
      file: join(refDir, `${name}.mjs`),
      kind: 'component',
    }));
    const perRoundBaseline = Math.max(2, Math.ceil(targets.length / 15));
    const perRoundEmpty = Math.max(1, Math.ceil(targets.length / 30));
    const samples = new Map<string, Sample[]>();
    const errors = new Map<string, string>();
    const rnd = random(20_260_501);
    // One unmeasured run of the references warms the page cache (round 1 does it for the rest).
    for (const t of [baseline, empty]) runOnce(t, tmp);
    for (let round = 1; round <= ROUNDS; round++) {
      const order = shuffle(
        [
          ...targets,
          ...Array.from({ length: perRoundBaseline }, () => baseline),
          ...Array.from({ length: perRoundEmpty }, () => empty),
          ...components,
        ],
        rnd,
      );
      for (const t of order) {
        const r = runOnce(t, tmp);
        if ('error' in r) {
          errors.set(t.name, r.error);
          continue;
        }
        samples.set(t.name, [...(samples.get(t.name) ?? []), r]);
      }
      progress(`cold-start: round ${round}/${ROUNDS} (${order.length} fresh processes)`);
    }

    const med = (name: string, key: keyof Sample) => median((samples.get(name) ?? []).map((s) => s[key]));
    const base = {
      processMs: med('baseline', 'processMs'),
      importMs: med('baseline', 'importMs'),
      cpuMs: med('baseline', 'cpuMs'),
    };
    const emp = {
      processMs: med('empty', 'processMs'),
      importMs: med('empty', 'importMs'),
      cpuMs: med('empty', 'cpuMs'),
    };

    // ---- metafile groups
    const baseGroups = byGroup(outputInputs(ref.metafile!, 'baseline'));
    const rows = names.map((name) => {
      const bytes = sizes[name]!.bytes;
      const processMs = med(name, 'processMs');
      const importMs = med(name, 'importMs');
      const cpuMs = med(name, 'cpuMs');
      const groups = byGroup(outputInputs(meta.metafile!, name));
      const extra = [...groups]
        .map(([g, b]) => [g, b - (baseGroups.get(g) ?? 0)] as const)
        .filter(([, d]) => d > 1024)
        .sort((a, b) => b[1] - a[1]);
      const firstPartyModules = Object.keys(outputInputs(meta.metafile!, name)).filter(
        (p) => !p.includes('node_modules/') && FIRST_PARTY.test(p),
      ).length;
      return {
        name,
        bytes,
        gzipBytes: sizes[name]!.gzipBytes,
        deltaBytes: bytes - baselineBytes,
        processMs,
        importMs,
        ratio: processMs / base.processMs,
        importRatio: importMs / base.importMs,
        cpuMs,
        cpuRatio: cpuMs / base.cpuMs,
        netRatio: (processMs - emp.processMs) / (base.processMs - emp.processMs),
        samples: samples.get(name)?.length ?? 0,
        error: errors.get(name),
        extra,
        families: Object.fromEntries(byFamily(groups)),
        firstPartyModules,
      };
    });
    const sizeFails = rows.filter((r) => r.deltaBytes > SIZE_BUDGET_BYTES);
    const timeFails = rows.filter((r) => !(r.ratio <= RATIO_BUDGET));
    const loadErrors = rows.filter((r) => r.error);
    const cpuFails = rows.filter((r) => !(r.cpuRatio <= RATIO_BUDGET));
    const worstCpu = [...rows].sort((a, b) => b.cpuRatio - a.cpuRatio)[0]!;
    const worst = [...rows].sort((a, b) => b.ratio - a.ratio)[0]!;
    const biggest = [...rows].sort((a, b) => b.bytes - a.bytes)[0]!;
    const smallest = [...rows].sort((a, b) => a.bytes - b.bytes)[0]!;

    const budgets: Budget[] = [
      {
        name: 'Cold start: every function ≤ 1.15× baseline import time (whole fresh process, median)',
        target: `≤ ${RATIO_BUDGET}× (${fixed(base.processMs * RATIO_BUDGET)} ms)`,
        measured: `${timeFails.length} of ${rows.length} over; worst ${worst.name} ${worst.ratio.toFixed(2)}× (${fixed(worst.processMs)} vs ${fixed(base.processMs)} ms); median function ${median(rows.map((r) => r.ratio)).toFixed(2)}×`,
        pass: timeFails.length === 0 && loadErrors.length === 0,
      },
      {
        name: 'Cold start, CPU-time view (same processes: CPU of the whole process, immune to a busy machine)',
        target: `≤ ${RATIO_BUDGET}× (${fixed(base.cpuMs * RATIO_BUDGET)} ms)`,
        measured: `${cpuFails.length} of ${rows.length} over; worst ${worstCpu.name} ${worstCpu.cpuRatio.toFixed(2)}× (${fixed(worstCpu.cpuMs)} vs ${fixed(base.cpuMs)} ms); median function ${median(rows.map((r) => r.cpuRatio)).toFixed(2)}×`,
        pass: null,
      },
      {
        name: 'Bundle size: every function ≤ baseline + 100 KiB',
        target: `≤ ${kib(baselineBytes + SIZE_BUDGET_BYTES)} KiB`,
        measured: `${sizeFails.length} of ${rows.length} over; largest ${biggest.name} ${kib(biggest.bytes)} KiB (${signedKib(biggest.deltaBytes)}), smallest ${smallest.name} ${kib(smallest.bytes)} KiB`,
        pass: sizeFails.length === 0,
      },
    ];
    if (loadErrors.length > 0) {
      budgets.push({
        name: 'Every bundle loads in a bare Node process',
        target: '0 failures',
        measured: `${loadErrors.length}: ${loadErrors.map((r) => r.name).join(', ')}`,
        pass: false,
      });
    }

    // ---- Markdown
    const md: string[] = [];
    md.push(
      `Every bundle of \`npm run build\` (${rows.length} functions; minified ESM, AWS SDK bundled, as SST deploys), imported by a fresh \`node --input-type=module -e "await import('file:///…')"\` process started from a temp directory outside the repo. ` +
        `${ROUNDS} rounds; each round runs every function once, the baseline ${perRoundBaseline}×, the empty module ${perRoundEmpty}× and each component once, in a shuffled order, so drift hits all alike ` +
        `(baseline n = ${samples.get('baseline')?.length ?? 0}, empty n = ${samples.get('empty')?.length ?? 0}). ` +
        '"process" = wall time of the whole process (spawn → exit), the budgeted figure; "import" = the `await import()` alone, timed inside the process; "net ratio" = (process − empty) ÷ (baseline − empty), i.e. with Node\'s own start-up taken out; "CPU" = CPU time (user + system, all threads) of the whole process when the import is done — what a Lambda at a fraction of a vCPU pays for, and unlike wall time not inflated when other work on this shared machine deschedules the process.',
    );
    md.push('');
    md.push(
      table(
        ['reference', 'bytes', 'KiB', 'process ms (median)', 'import ms (median)', 'CPU ms (median)'],
        [
          [
            'baseline (bench/baseline.ts: DynamoDB document client + one GetCommand)',
            baselineBytes,
            kib(baselineBytes),
            fixed(base.processMs),
            fixed(base.importMs),
            fixed(base.cpuMs),
          ],
          [
            'empty module (bench/empty.ts)',
            emptyBytes,
            kib(emptyBytes),
            fixed(emp.processMs),
            fixed(emp.importMs),
            fixed(emp.cpuMs),
          ],
        ],
        'lrrrrr',
      ),
    );
    md.push('');
    md.push(
      `Bundles: ${source}. Components imported alone, built with the same settings (bench/components/*.ts) — what each shared dependency costs to load by itself (import ms minus the empty module's):`,
    );
    md.push('');
    md.push(
      table(
        [
          'component',
          'KiB',
          'import ms (median)',
          'import over the empty module ms',
          'CPU over the empty module ms',
        ],
        [
          [
            'AWS SDK DynamoDB document client (the baseline)',
            kib(baselineBytes),
            fixed(base.importMs),
            fixed(base.importMs - emp.importMs),
            fixed(base.cpuMs - emp.cpuMs),
          ],
          ...components.map((c) => {
            const bytes = readFileSync(c.file).length;
            const ms = med(c.name, 'importMs');
            const cpu = med(c.name, 'cpuMs');
            return [
              `${c.name}: ${COMPONENTS[c.name]}`,
              kib(bytes),
              fixed(ms),
              fixed(ms - emp.importMs),
              fixed(cpu - emp.cpuMs),
            ];
          }),
        ],
        'lrrrr',
      ),
    );
    md.push('');
    md.push(
      "Noise: the machine is shared (see the load averages above), so one function's median moves by about ±0.1× from run to run — near-identical bundles such as no-show-ticket and recall-ticket (same size, one action name apart) can land 0.2× apart. Read the columns together (process, import, CPU) and across similar functions; the median over all functions is the steady figure.",
    );
    md.push('');
    md.push(
      `Budgets: size ≤ baseline + 100 KiB = **${kib(baselineBytes + SIZE_BUDGET_BYTES)} KiB**; process time ≤ 1.15 × baseline = **${fixed(base.processMs * RATIO_BUDGET)} ms**.`,
    );
    md.push('');
    md.push(
      table(
        [
          'function',
          'KiB',
          'gzip KiB',
          'Δ vs baseline KiB',
          'size',
          'process ms',
          'ratio',
          'time',
          'import ms',
          'import ratio',
          'net ratio',
          'CPU ms',
          'CPU ratio',
          'largest additions over the baseline (KiB)',
        ],
        [...rows]
          .sort((a, b) => b.ratio - a.ratio)
          .map((r) => [
            r.name,
            kib(r.bytes),
            kib(r.gzipBytes),
            signedKib(r.deltaBytes),
            r.deltaBytes <= SIZE_BUDGET_BYTES ? 'PASS' : 'FAIL',
            r.error ? `ERROR: ${r.error}` : fixed(r.processMs),
            r.ratio.toFixed(2),
            r.ratio <= RATIO_BUDGET ? 'PASS' : 'FAIL',
            fixed(r.importMs),
            r.importRatio.toFixed(2),
            r.netRatio.toFixed(2),
            fixed(r.cpuMs),
            r.cpuRatio.toFixed(2),
            r.extra
              .slice(0, 4)
              .map(([g, d]) => `${g} ${kib(d)}`)
              .join(', '),
          ]),
        'lrrrlrrlrrrrrl',
      ),
    );

    // What fills the bundles: families, for the baseline and a few representative functions.
    const show = [
      'health',
      'call-next',
      'enqueue',
      'board',
      'login',
      'branch-report',
      'openapi',
      'docs-asset',
    ].filter((n) => rows.some((r) => r.name === n));
    const baseFamilies = byFamily(baseGroups);
    md.push('');
    md.push('#### What fills a bundle (esbuild metafile, bytes in the minified output, KiB)');
    md.push('');
    md.push(
      table(
        ['bundle', ...FAMILIES, 'total'],
        [
          ['baseline', ...FAMILIES.map((f) => kib(baseFamilies.get(f) ?? 0)), kib(baselineBytes)],
          ...show.map((n) => {
            const r = rows.find((x) => x.name === n)!;
            return [n, ...FAMILIES.map((f) => kib(r.families[f] ?? 0)), kib(r.bytes)];
          }),
        ],
        `l${'r'.repeat(FAMILIES.length + 1)}`,
      ),
    );
    const callNext = rows.find((r) => r.name === 'call-next');
    if (callNext) {
      const inputs = outputInputs(meta.metafile!, 'call-next');
      const baseInputs = outputInputs(ref.metafile!, 'baseline');
      const notInBaseline = Object.entries(inputs)
        .filter(([p]) => !baseInputs[p])
        .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
      md.push('');
      md.push(
        `#### call-next: the 20 largest modules that the baseline does not have (${notInBaseline.length} such modules, ${kib(notInBaseline.reduce((s, [, i]) => s + i.bytesInOutput, 0))} KiB; ${callNext.firstPartyModules} first-party modules)`,
      );
      md.push('');
      md.push(
        table(
          ['module', 'KiB'],
          notInBaseline
            .slice(0, 20)
            .map(([p, i]) => [p.replace(/^.*node_modules\//, 'node_modules/'), kib(i.bytesInOutput)]),
          'lr',
        ),
      );
      const fp = Object.keys(inputs).filter((p) => !p.includes('node_modules/') && FIRST_PARTY.test(p));
      const folders = new Map<string, number>();
      for (const p of fp) folders.set(groupOf(p), (folders.get(groupOf(p)) ?? 0) + inputs[p]!.bytesInOutput);
      md.push('');
      md.push(
        `First-party code in call-next by folder: ${[...folders]
          .sort((a, b) => b[1] - a[1])
          .map(([g, b]) => `${g} ${kib(b)} KiB`)
          .join(', ')}.`,
      );
    }
    if (QUICK) md.push('', '_Quick run (`--quick`): 3 rounds only; figures are indicative._');

    saveSection({
      id: 'cold-start',
      title: '1. Cold start: bundle size and import time',
      startedAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      budgets,
      markdown: md.join('\n'),
      data: {
        rounds: ROUNDS,
        source,
        baseline: { bytes: baselineBytes, ...base },
        empty: { bytes: emptyBytes, ...emp },
        components: Object.fromEntries(
          components.map((c) => [
            c.name,
            {
              bytes: readFileSync(c.file).length,
              importMs: med(c.name, 'importMs'),
              processMs: med(c.name, 'processMs'),
              cpuMs: med(c.name, 'cpuMs'),
            },
          ]),
        ),
        rows,
      },
    });
    progress(
      `cold-start: done — ${timeFails.length} over the time budget, ${sizeFails.length} over the size budget`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
