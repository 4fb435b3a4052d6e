import type { FunctionDef } from './define';
import { routes } from './index';
import { closeBranchJob, nightlyResetJob } from './jobs';
import { notFoundRoute } from './routes/system/not-found';

/**
 * Every Lambda and how it is deployed: the routes of the table (their `deploy`), and next to
 * them the functions that are not routes (./jobs.ts). infra/ and scripts/build.ts read this.
 */

export { closeBranchJob, nightlyResetJob };

/** Every Lambda, one per file of functions/: the routes, the catch-all and the day-close jobs. */
export const functions: readonly FunctionDef[] = [...routes, notFoundRoute, nightlyResetJob, closeBranchJob];
