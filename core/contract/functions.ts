import { READ_ACTIONS } from './access';
import type { FunctionDef } from './define';
import { routes } from './index';
import { notFoundRoute } from './routes/system/not-found';

/**
 * Every Lambda and how it is deployed: the routes of the table (their `deploy`), and next to
 * them the functions that are not routes. infra/ and scripts/build.ts read this.
 */

/** The hourly job (infra/cron.ts): finds the branches whose day closes now and queues one message each. */
export const nightlyResetJob: FunctionDef = {
  function: 'nightly-reset',
  deploy: {
    timeoutSeconds: 120,
    sendsToCloseQueue: true,
    // The due branches, from the `due` index: the job reads nothing else.
    dynamo: { actions: ['dynamodb:Query'], indexes: ['due'] },
  },
};

/** The day-close queue's subscriber (infra/queue.ts): closes one branch per message. */
export const closeBranchJob: FunctionDef = {
  function: 'close-branch',
  deploy: {
    // A close works within this and goes on in a new message when a branch needs more.
    timeoutSeconds: 120,
    sendsToCloseQueue: true,
    // What a branch's close reads and writes: its setup, its open tickets (the `open` index),
    // the tickets, counters, live counts, numbering and aggregates it changes.
    dynamo: {
      actions: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ],
      table: true,
      indexes: ['open'],
    },
  },
};

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

/** Every Lambda, one per file of functions/: the routes, the catch-all, the day-close jobs and the push service. */
export const functions: readonly FunctionDef[] = [
  ...routes,
  notFoundRoute,
  nightlyResetJob,
  closeBranchJob,
  ...liveFunctions,
];
