import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { deployOf, ESM_BANNER, functionNames, MAIN_FIELDS } from '#infra/functions';

/**
 * `npm run build [-- --outdir <dir>]`: one minified ESM bundle per Lambda function,
 * `<outdir>/<name>.mjs` exporting `handler` (default outdir dist/functions), built with the
 * settings SST uses when it deploys (see infra/functions.ts), plus the run-time assets a
 * function declares, laid out as in its Lambda package. Prints a size table and writes
 * `<outdir>/sizes.json`. The function list is the contract's (core/contract/index.ts), so a new
 * route is built (and smoke-tested) without touching this file.
 */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * One esbuild build for all functions: each entry point still gets its own self-contained
 * bundle (no splitting, as deployed), but the AWS SDK and the shared code are parsed once
 * instead of once per function. `target` is node22 where SST uses esnext: the same output for
 * this code base, and a guard against syntax Lambda's Node 22 would not run.
 */
export function esbuildOptions(names: readonly string[], outdir: string): BuildOptions {
  return {
    entryPoints: Object.fromEntries(names.map((name) => [name, join(ROOT, 'functions', `${name}.ts`)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: false,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: MAIN_FIELDS,
    banner: { js: ESM_BANNER },
    keepNames: true,
    minify: true,
    sourcemap: false,
    // Everything is bundled, the AWS SDK included, as SST does: the runtime's SDK is not the pinned one.
    external: [],
    logLevel: 'silent',
    absWorkingDir: ROOT,
  };
}

export interface BundleSize {
  bytes: number;
  kib: number;
  gzipBytes: number;
}

type EsbuildFailure = Error & {
  errors?: { text: string; location?: { file: string; line: number } | null }[];
};

/** Builds the bundles and copies their assets; throws with every problem listed when any function fails. */
export async function buildFunctions(
  outdir: string,
  names = functionNames(),
): Promise<Record<string, BundleSize>> {
  const missing = names.filter((name) => !existsSync(join(ROOT, 'functions', `${name}.ts`)));
  if (missing.length > 0) {
    throw new Error(
      `The contract names functions without a file: ${missing.map((n) => `functions/${n}.ts`).join(', ')}`,
    );
  }
  mkdirSync(outdir, { recursive: true });
  try {
    await build(esbuildOptions(names, outdir));
  } catch (error) {
    const { errors, message } = error as EsbuildFailure;
    throw new Error(
      errors?.length
        ? errors
            .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
            .join('\n')
        : message,
    );
  }
  const sizes: Record<string, BundleSize> = {};
  for (const name of names) {
    for (const asset of deployOf(name).assets ?? []) {
      const target = join(outdir, asset);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(ROOT, asset), target);
    }
    const code = readFileSync(join(outdir, `${name}.mjs`));
    sizes[name] = {
      bytes: code.length,
      kib: Math.round((code.length / 1024) * 10) / 10,
      gzipBytes: gzipSync(code).length,
    };
  }
  return sizes;
}

export function sizeTable(sizes: Record<string, BundleSize>): string {
  const rows = Object.entries(sizes).map(([name, s]) => [
    name,
    String(s.bytes),
    s.kib.toFixed(1),
    (s.gzipBytes / 1024).toFixed(1),
  ]);
  const header = ['function', 'bytes', 'KiB', 'gzip KiB'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist/functions' } } });
  const outdir = resolve(values.outdir);
  rmSync(outdir, { recursive: true, force: true });
  const started = performance.now();
  let sizes: Record<string, BundleSize>;
  try {
    sizes = await buildFunctions(outdir);
  } catch (error) {
    console.error(`Build failed:\n${(error as Error).message}`);
    process.exit(1);
  }
  console.log(sizeTable(sizes));
  writeFileSync(join(outdir, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `\n${Object.keys(sizes).length} bundles in ${relative(process.cwd(), outdir) || '.'} (${seconds} s)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
