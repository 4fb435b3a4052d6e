import type { Mailer } from '#core/ports/mailer';
import { type MailLog, outboxMailer } from './outbox';
import { sesMailer } from './ses';

/** The outbox when OUTBOX_DIR is set (local runtime, tests), SES otherwise (AWS). */
export function mailer(log: MailLog): Mailer {
  const outbox = process.env.OUTBOX_DIR;
  if (outbox) return outboxMailer(outbox, log);
  const from = process.env.MAIL_FROM;
  if (!from) throw new Error('MAIL_FROM is not configured');
  return sesMailer(from);
}
