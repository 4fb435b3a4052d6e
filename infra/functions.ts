import type { Deploy } from '#core/contract/define';
import { functions } from '#core/contract/functions';

/**
 * Lambda settings shared by the SST app (infra/api.ts, infra/cron.ts, infra/queue.ts) and
 * `npm run build` (scripts/build.ts), so the bundles measured and smoke-tested locally are built
 * the way SST deploys them. Each function's own settings are on its entry of the contract
 * (`deploy`, core/contract/define.ts); these are the defaults and what every function shares.
 * Plain TypeScript: no SST globals here, so scripts and tests can import it.
 */

const byName = new Map(functions.map((f) => [f.function, f]));

/** Every function file under functions/: the contract's routes, the catch-all and the jobs. */
export function functionNames(): string[] {
  return [...byName.keys()].sort();
}

/** The `deploy` settings of a function of the contract. */
export function deployOf(fn: string): Deploy {
  const def = byName.get(fn);
  if (!def) throw new Error(`No function "${fn}" in the contract (core/contract/index.ts)`);
  return def.deploy ?? {};
}

export const RUNTIME = 'nodejs22.x';
export const ARCHITECTURE = 'arm64';

/** MB: 512 unless the function's entry says otherwise. */
export const memoryMb = (fn: string): number => deployOf(fn).memoryMb ?? 512;

/** Seconds: 15 unless the function's entry says otherwise (the day-close jobs). */
export const timeoutSeconds = (fn: string): number => deployOf(fn).timeoutSeconds ?? 15;

/**
 * esbuild settings of SST 4's Node.js runtime (pkg/runtime/node/build.go): ESM, bundle
 * everything including the AWS SDK, prefer the `module` entry (without it some SDK packages
 * resolve to CJS that does `require("node:https")`, which crashes an ESM bundle with
 * "Dynamic require of ... is not supported"), keep names, and this banner, which gives bundled
 * CJS code a real `require`, `__filename` and `__dirname`.
 *
 * SST adds the banner itself: passing it again through `nodejs.banner` would declare
 * `require` twice and the bundle would not load. Only scripts/build.ts uses it.
 */
export const MAIN_FIELDS = ['module', 'main'];
export const ESM_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  'const require = topLevelCreateRequire(import.meta.url);',
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  'const __filename = topLevelFileUrlToPath(import.meta.url)',
  'const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))',
].join('\n');
