import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from '#local/dynamodb-local';
import { fixed, mark, progress, RESULTS_DIR, ROOT, saveSection, sleep, writeJson } from './lib/common';
import { type RunInfo, renderResults, SECTIONS, writeResults } from './report';

/**
 * `npm run bench [-- <section>…] [--quick]`: runs the benchmark sections (default: all, in this
 * order) and rewrites bench/RESULTS.md. Each section is its own process (bench/sections/*.ts),
 * bounded by a time limit; their stdout (the handlers' JSON logs) is discarded, progress goes
 * to stderr. One in-memory DynamoDB Local on 127.0.0.1 serves the in-process sections.
 *
 *   cold-start  bundle sizes and fresh-process import times vs a baseline   (~2.5 min)
 *   cost        DynamoDB requests and capacity per operation, $ per 1,000   (~0.5 min)
 *   scale       call-next with 10 / 1,000 / 10,000 waiting; reports         (~1.5 min)
 *   overhead    our own time per request, per endpoint                      (~4 min)
 *   load        60 s of kiosks and counters over HTTP; data checked after   (~1.5 min)
 *   status      the public status page at positions 10 / 1,000 / 10,000     (~1 min)
 *   revocation  time to the first 401 after a change; reads per minute      (~1.5 min)
 *   close-day   close-day with 100 / 1,000 / 10,000 open tickets            (~2–4 min)
 *   nightly     the hourly job with 1,000 branches due at once              (~2–4 min)
 *   live        commit → screen latency by push; push vs polling per 1,000  (~1.5 min)
 *
 * `--quick` shrinks every loop (a smoke run of a minute or two; figures are indicative).
 */
type Section = (typeof SECTIONS)[number];

const LIMIT_SECONDS: Record<Section, number> = {
  'cold-start': 300,
  cost: 150,
  scale: 240,
  overhead: 330,
  load: 240,
  status: 240,
  revocation: 240,
  'close-day': 420,
  nightly: 420,
  live: 240,
};
const NEEDS_DYNAMO = new Set<Section>([
  'cost',
  'scale',
  'overhead',
  'load',
  'status',
  'revocation',
  'close-day',
  'nightly',
  'live',
]);

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const unknown = args.filter((a) => !a.startsWith('--') && !(SECTIONS as readonly string[]).includes(a));
if (unknown.length) {
  console.error(`Unknown section(s): ${unknown.join(', ')}. Sections: ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const chosen = SECTIONS.filter(
  (s) => args.length === 0 || args.includes(s) || args.every((a) => a.startsWith('--')),
);

function runSection(id: Section, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join('bench', 'sections', `${id}.ts`), ...(quick ? ['--quick'] : [])],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
        detached: true,
      },
    );
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      progress(`${id}: over its ${LIMIT_SECONDS[id]} s limit, stopping it`);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }, LIMIT_SECONDS[id] * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      if (timedOut) resolve({ ok: false, error: `timed out after ${LIMIT_SECONDS[id]} s` });
      else if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, error: `exit ${code ?? signal}` });
    });
  });
}

async function main() {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  let dynamo: DynamoDbLocal | undefined;
  const stopDynamo = async () => {
    await dynamo?.stop();
    dynamo = undefined;
  };
  process.on('SIGINT', () => void stopDynamo().then(() => process.exit(130)));
  progress(`sections: ${chosen.join(', ')}${quick ? ' (quick)' : ''}`);
  const ran: RunInfo['sections'] = [];
  try {
    for (const id of chosen) {
      if (NEEDS_DYNAMO.has(id) && !dynamo && !process.env.DYNAMODB_ENDPOINT) {
        progress('starting DynamoDB Local (in memory, 127.0.0.1) for the in-process sections');
        dynamo = await startDynamoDbLocal();
        env.DYNAMODB_ENDPOINT = dynamo.endpoint;
      }
      if (id === 'overhead' && !process.env.BENCH_OVERHEAD_SECONDS) {
        // Whatever the sections before it took, leave load (~95 s) and revocation (~100 s) their time within 9.5 minutes.
        const after = (chosen.includes('load') ? 95 : 0) + (chosen.includes('revocation') ? 100 : 0);
        const left = 570 - (Date.now() - started) / 1000 - after;
        env.BENCH_OVERHEAD_SECONDS = String(Math.round(Math.min(220, Math.max(90, left))));
        progress(`overhead gets ${env.BENCH_OVERHEAD_SECONDS} s`);
      }
      progress(`── ${id} ──`);
      const t0 = Date.now();
      const result = await runSection(id, env);
      const seconds = (Date.now() - t0) / 1000;
      ran.push({ id, seconds, ...result });
      if (!result.ok) {
        progress(`${id} failed: ${result.error}`);
        saveSection({
          id,
          title: `${SECTIONS.indexOf(id) + 1}. ${id}`,
          startedAt: new Date(t0).toISOString(),
          seconds,
          budgets: [
            {
              name: `${id} section ran`,
              target: 'completes',
              measured: result.error ?? 'failed',
              pass: false,
            },
          ],
          markdown: `The section did not complete (${result.error}); see the run's output.`,
        });
      }
      await sleep(200);
    }
  } finally {
    await stopDynamo();
  }
  const seconds = (Date.now() - started) / 1000;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const run: RunInfo = { startedAt: new Date(started).toISOString(), seconds, sections: ran, quick };
  writeJson(join(RESULTS_DIR, 'run.json'), run);
  const file = writeResults();
  // The summary table, on stdout.
  const summary = renderResults().split('## Summary')[1]!.split('\n## ')[0]!.trim();
  console.log(`\n${summary}\n`);
  console.log(`Wrote ${file} in ${fixed(seconds / 60, 1)} min.`);
  const failed = ran.filter((r) => !r.ok);
  if (failed.length) {
    console.log(
      `Sections that did not complete: ${failed.map((f) => `${f.id} (${f.error})`).join(', ')} ${mark(false)}`,
    );
    process.exitCode = 1;
  }
}

await main();
