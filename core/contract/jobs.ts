import type { FunctionDef } from './define';

/**
 * The functions that are not routes, apart from the route table so that their handlers can name
 * their own entry without bundling every route (functions/commons/running.ts).
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

/**
 * The hourly contact erasing (infra/cron.ts): the tickets whose contact data is due for erasure,
 * from the `due` index, each erased by one conditional update of its item.
 */
export const eraseContactsJob: FunctionDef = {
  function: 'erase-contacts',
  deploy: {
    // A run works within its time budget (functions/erase-contacts.ts) and the next run goes on.
    timeoutSeconds: 300,
    dynamo: { actions: ['dynamodb:Query', 'dynamodb:UpdateItem'], table: true, indexes: ['due'] },
  },
};

/**
 * The table stream's second subscriber (infra/notify.ts): customers' near-turn and called
 * messages. Per change, the branch's setup and the heads of the moved lines (the `waiting`
 * index), the due tickets read again, one conditional Put per message's claim; then SMS, email
 * and web push — the only function with those permissions and the VAPID private key.
 */
export const notifyFunction: FunctionDef = {
  function: 'notify',
  deploy: {
    sendsMessages: true,
    dynamo: {
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
      table: true,
      indexes: ['waiting'],
    },
  },
};
