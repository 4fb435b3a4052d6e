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

interface Scope extends RequestScope {
  /** Rejects with DeadlineExceeded when the deadline passes (requests entered by enterDeadline). */
  expired?: Promise<never>;
  /** The request answered (see enterDeadline). */
  ended?: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

export const currentScope = (): RequestScope | undefined => {
  const scope = scopes.getStore();
  return scope?.ended ? undefined : scope;
};

/** The request's deadline passed: what was still running was aborted. */
export class DeadlineExceeded extends Error {
  constructor() {
    super('The request ran out of time');
    this.name = 'DeadlineExceeded';
  }
}

/** A scope whose signal aborts `ms` from now, and then `onExpire()` runs; `stop()` before then keeps both from happening. */
function startScope(ms: number, onExpire: () => void): { scope: Scope; stop: () => void } {
  const controller = new AbortController();
  // Every call in flight listens to the signal; a request may run many at once (Promise.all).
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => {
    controller.abort(new DeadlineExceeded());
    onExpire();
  }, ms);
  return { scope: { signal: controller.signal, deadline: Date.now() + ms }, stop: () => clearTimeout(timer) };
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
  let timedOut!: (value: T) => void;
  const timeout = new Promise<T>((resolve) => {
    timedOut = resolve;
  });
  const { scope, stop } = startScope(ms, () => timedOut(onTimeout()));
  return Promise.race([scopes.run(scope, () => work(scope)), timeout]).finally(stop);
}

/** A request's deadline, entered by enterDeadline. */
export interface Deadline {
  /** The request answered: the deadline no longer applies, nor the scope to what runs after it. */
  end(): void;
}

/**
 * Puts the rest of this invocation in a scope of its own whose DynamoDB calls are aborted `ms`
 * from now. Called at the synchronous start of the invocation (the first step of the HTTP chain,
 * functions/commons/http.ts), before anything has been awaited, it reaches every later step of the
 * invocation: AsyncLocalStorage.enterWith sets the scope of the execution under way, and every
 * promise created from then on inherits it. That includes what the caller does once the
 * invocation has answered; `end()` leaves the scope inert for it (currentScope() is undefined).
 */
export function enterDeadline(ms: number): Deadline {
  let expire!: (error: DeadlineExceeded) => void;
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  // Nothing may be racing it when the deadline passes (the request is between steps).
  expired.catch(() => {});
  const { scope, stop } = startScope(ms, () => expire(new DeadlineExceeded()));
  scope.expired = expired;
  scopes.enterWith(scope);
  return {
    end() {
      stop();
      scope.ended = true;
    },
  };
}

/**
 * Settles like `work`, or rejects with DeadlineExceeded when the deadline of the request it
 * runs in passes first — whatever `work` is waiting for (a mail, not only DynamoDB).
 */
export function beforeDeadline<T>(work: Promise<T>): Promise<T> {
  const scope = scopes.getStore();
  return scope?.expired && !scope.ended ? Promise.race([work, scope.expired]) : work;
}
