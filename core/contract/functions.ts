import { READ_ACTIONS } from './access';
import type { FunctionDef } from './define';
import { routes } from './index';
import { closeBranchJob, eraseContactsJob, nightlyResetJob, notifyFunction } from './jobs';
import { notFoundRoute } from './routes/system/not-found';

/**
 * Every Lambda and how it is deployed: the routes of the table (their `deploy`), and next to
 * them the functions that are not routes (./jobs.ts). infra/ and scripts/build.ts read this.
 */

export { closeBranchJob, eraseContactsJob, nightlyResetJob, notifyFunction };

// ---- The AWS push service (infra/live.ts, docs/live.md): a WebSocket API and the stream's fan-out.

/** The connection registry's writes: a channel's item and its pointer under the connection. */
const REGISTRY_WRITES = ['dynamodb:PutItem', 'dynamodb:DeleteItem'];

/** `$connect`: accepts the connection; nothing is read or written. */
export const liveConnectFunction: FunctionDef = { function: 'live-connect', deploy: { dynamo: 'none' } };

/** `$disconnect`: removes the connection's channels (a query of its pointers, then deletes). */
export const liveDisconnectFunction: FunctionDef = {
  function: 'live-disconnect',
  deploy: { dynamo: { actions: ['dynamodb:Query', 'dynamodb:DeleteItem'], table: true } },
};

/**
 * `$default`: a client's subscribe or unsubscribe. Verifies the token, reads the board (its
 * setup and the heads of the `waiting` index) or the ticket, registers the channel, answers.
 */
export const liveMessageFunction: FunctionDef = {
  function: 'live-message',
  deploy: {
    verifiesTokens: true,
    pushesLive: true,
    dynamo: { actions: [...READ_ACTIONS, ...REGISTRY_WRITES], table: true, indexes: ['waiting'] },
  },
};

/**
 * The table stream's subscriber: per change, the board and the watched tickets' statuses, sent
 * to the registered connections; a ticket's line is written back, a gone connection removed.
 */
export const liveFanOutFunction: FunctionDef = {
  function: 'live-fan-out',
  deploy: {
    pushesLive: true,
    dynamo: { actions: [...READ_ACTIONS, ...REGISTRY_WRITES], table: true, indexes: ['waiting'] },
  },
};

export const liveFunctions = [
  liveConnectFunction,
  liveDisconnectFunction,
  liveMessageFunction,
  liveFanOutFunction,
];

/**
 * Every Lambda, one per file of functions/: the routes, the catch-all, the day-close jobs, the
 * contact erasing, the push service and the customers' messages.
 */
export const functions: readonly FunctionDef[] = [
  ...routes,
  notFoundRoute,
  nightlyResetJob,
  closeBranchJob,
  eraseContactsJob,
  ...liveFunctions,
  notifyFunction,
];
