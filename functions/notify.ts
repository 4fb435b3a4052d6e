import type { DynamoDBStreamEvent } from 'aws-lambda';
import { notifyChangesOf, type StreamRecord } from '#core/adapters/dynamo/stream';
import { messageSender } from '#core/adapters/notify/sender';
import { notifyFunction } from '#core/contract/jobs';
import { notifyChanges, type Sent } from '#core/usecases/notify/notify';
import { notifyContext } from './commons/context';
import { logger } from './commons/logger';
import { runAs } from './commons/running';
import { vapidKeys } from './commons/vapid-keys';

/**
 * Customers' near-turn and called messages (docs/notifications.md), from the table's change
 * stream: in AWS this function subscribes to it beside the live fan-out (infra/live.ts); locally
 * `npm start`'s push server hands it the same records (local/live.ts). The operation that made
 * a change never waits for its messages.
 */
/**
 * Who the push services may contact about our pushes (RFC 8292 `sub`): the address mail goes
 * out from (`Queueline <no-reply@…>` → `mailto:no-reply@…`).
 */
const vapidSubject = (mailFrom = 'notifications@queueline.invalid') =>
  `mailto:${/<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom}`;

const sender = () =>
  messageSender({
    outboxDir: process.env.OUTBOX_DIR,
    vapid: vapidKeys,
    vapidSubject: vapidSubject(process.env.MAIL_FROM),
    mailFrom: process.env.MAIL_FROM,
    smsOrigin: process.env.SMS_ORIGIN,
  });

/** The messages of a batch of stream records: claimed, sent, failures logged by ids only. */
export const notifyRecords = runAs(
  notifyFunction,
  async (records: readonly StreamRecord[]): Promise<Sent[]> => {
    const changes = notifyChangesOf(records);
    if (changes.length === 0) return [];
    const sent = await notifyChanges(
      notifyContext({
        now: new Date(),
        sender: sender(),
        appUrl: process.env.APP_URL,
        failed: ({ error, ...which }) =>
          logger.warn('message not sent', {
            ...which,
            error: error instanceof Error ? error.name : 'Error',
            ...(typeof (error as { statusCode?: unknown })?.statusCode === 'number' && {
              statusCode: (error as { statusCode: number }).statusCode,
            }),
          }),
      }),
      changes,
    );
    if (sent.length > 0) logger.info('messages sent', { count: sent.length });
    return sent;
  },
);

export async function handler(event: DynamoDBStreamEvent) {
  await notifyRecords(event.Records as StreamRecord[]);
}
