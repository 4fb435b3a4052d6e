import { AsyncLocalStorage } from 'node:async_hooks';
import type { FunctionDef } from '#core/contract/define';

const running = new AsyncLocalStorage<FunctionDef>();

/** The contract entry of the function whose invocation the calling code runs in, if any. */
export const runningFunction = (): FunctionDef | undefined => running.getStore();

/**
 * `work` as run by the function `def`: everything it starts, what goes on in the background
 * included, knows which function it runs in. The test suite checks every DynamoDB call against
 * that function's grant (core/contract/access.ts; tests/support/dynamo-grants.ts), as IAM does in AWS.
 */
export function runAs<A extends unknown[], R>(def: FunctionDef, work: (...args: A) => R): (...args: A) => R {
  return (...args) => running.run(def, work, ...args);
}
