import type { Mailer } from '#core/ports/mailer';
import { mailFailure } from './failure';
import { type MailLog, outboxMailer } from './outbox';
import { sesMailer } from './ses';

/** A deployment without a sender: every send fails, as a send that SES refuses would. */
const unconfigured: Mailer = {
  send: () =>
    Promise.reject(Object.assign(new Error('MAIL_FROM is not configured'), { name: 'MailNotConfigured' })),
};

/**
 * The outbox when OUTBOX_DIR is set (local runtime, tests), SES otherwise (AWS). A failed send
 * is logged with its reason (./failure.ts: no addresses) and rethrown: the use case decides
 * what the caller is told.
 */
export function mailer(log: MailLog): Mailer {
  const outbox = process.env.OUTBOX_DIR;
  const from = process.env.MAIL_FROM;
  const through = outbox ? outboxMailer(outbox, log) : from ? sesMailer(from) : unconfigured;
  return {
    async send(message) {
      try {
        await through.send(message);
      } catch (error) {
        const { message: explained, ...fields } = mailFailure(error);
        log.warn(explained, { ...fields, subject: message.subject });
        throw error;
      }
    },
  };
}
