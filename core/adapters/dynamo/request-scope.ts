import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';

/** An Idempotency-Key a request holds: its ticket write records its outcome (idempotency-store.ts). */
export interface HeldKey {
  tenantId: string;
  key: string;
  claimId: string;
}

/**
 * What every DynamoDB call of one request shares, without passing it through each use case:
 * the signal that aborts them at the request's deadline (client.ts hands it to each `send`)
 * and, once claimed, the Idempotency-Key the request holds.
 */
export interface RequestScope {
  signal: AbortSignal;
  /** When the signal aborts (epoch ms). */
  deadline: number;
  held?: HeldKey;
}

const scopes = new AsyncLocalStorage<RequestScope>();

export const currentScope = (): RequestScope | undefined => scopes.getStore();

/** The request's deadline passed: what was still running was aborted. */
export class DeadlineExceeded extends Error {
  constructor() {
    super('The request ran out of time');
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Runs `work` in a scope of its own whose DynamoDB calls are aborted `ms` from now (those in
 * flight fail with AbortError, later ones at once), and settles with `onTimeout()` at that
 * moment if `work` has not settled yet — whatever `work` is waiting for.
 */
export function withDeadline<T>(
  ms: number,
  work: (scope: RequestScope) => Promise<T>,
  onTimeout: () => T,
): Promise<T> {
  const controller = new AbortController();
  // Every call in flight listens to the signal; a request may run many at once (Promise.all).
  setMaxListeners(0, controller.signal);
  const scope: RequestScope = { signal: controller.signal, deadline: Date.now() + ms };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DeadlineExceeded());
      resolve(onTimeout());
    }, ms);
  });
  return Promise.race([scopes.run(scope, () => work(scope)), expired]).finally(() => clearTimeout(timer));
}
