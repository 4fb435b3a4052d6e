import { routes } from './routes';

/**
 * Lambda settings shared by the SST app (infra/api.ts, infra/cron.ts) and `npm run build`
 * (scripts/build.ts), so the bundles measured and smoke-tested locally are built the way SST
 * deploys them. Plain TypeScript: no SST globals here, so scripts and tests can import it.
 */

/** The function the hourly schedule (infra/cron.ts) and `npm run job -- nightly-reset` invoke. */
export const NIGHTLY_RESET = 'nightly-reset';

/** The day-close queue's subscriber (infra/queue.ts): the close of one branch per message. */
export const CLOSE_BRANCH = 'close-branch';

/** API Gateway's `$default` route: unknown routes answer a problem+json 404 (functions/not-found.ts). */
export const NOT_FOUND = 'not-found';

/** Every function file under functions/: the distinct `function` names of the route table, plus the jobs and the catch-all. */
export function functionNames(): string[] {
  return [...new Set([...routes.map((r) => r.function), NIGHTLY_RESET, CLOSE_BRANCH, NOT_FOUND])].sort();
}

export const RUNTIME = 'nodejs22.x';
export const ARCHITECTURE = 'arm64';

/**
 * Functions that hash passwords with scrypt. Lambda allots CPU in proportion to memory, and an
 * OWASP-strength scrypt needs both, so these get 1024 MB; everything else is I/O bound and
 * fine with 512 MB. Keyed by the route table's `function` names.
 */
export const SCRYPT_FUNCTIONS: ReadonlySet<string> = new Set([
  'login',
  'signup',
  'create-user',
  'update-user',
  'reset-password',
]);

export function memoryMb(fn: string): 512 | 1024 {
  return SCRYPT_FUNCTIONS.has(fn) ? 1024 : 512;
}

/**
 * Functions that send mail through SES (core/adapters/mail): signup's verification mail and
 * forgot-password's reset link. Add a function here when it starts mailing, or SES refuses it in AWS.
 */
export const MAILING_FUNCTIONS: ReadonlySet<string> = new Set(['signup', 'forgot-password']);

/**
 * Route functions that hand work to the day-close queue (infra/queue.ts): a manual close that
 * outlasts its request goes on there. They get `sqs:SendMessage` on it and its URL.
 */
export const CLOSE_QUEUE_SENDERS: ReadonlySet<string> = new Set(['close-day']);

/**
 * Seconds. API Gateway HTTP APIs give up on an integration after 30 s, so routes stop well
 * before. The hourly job only queries the due branches and queues one message each; each
 * branch's close works within its function's time and goes on in a new message when a branch
 * needs more (many thousands of open tickets).
 */
export function timeoutSeconds(fn: string): number {
  return fn === NIGHTLY_RESET || fn === CLOSE_BRANCH ? 120 : 15;
}

/**
 * Files a function reads at run time besides its bundle, as paths relative to the repo root.
 * SST copies each to the same relative path inside the function package (`copyFiles` without
 * `to`), and scripts/build.ts copies them next to the bundles the same way, so a handler that
 * resolves them with `createRequire(import.meta.url)` finds them in AWS, in dist/ and under tsx.
 * Keys are function names of the route table (tests/integration/build.test.ts checks that).
 *
 * `docs-asset` (functions/docs-asset.ts) serves Swagger UI's files from
 * `swagger-ui-dist/absolute-path.js`'s directory.
 */
export const FUNCTION_ASSETS: Readonly<Record<string, readonly string[]>> = {
  'docs-asset': [
    'node_modules/swagger-ui-dist/package.json',
    'node_modules/swagger-ui-dist/absolute-path.js',
    'node_modules/swagger-ui-dist/swagger-ui.css',
    'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
  ],
};

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
