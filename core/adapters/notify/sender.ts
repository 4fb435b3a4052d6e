import { writeOutboxFile } from '#core/adapters/mail/outbox';
import { sesMailer } from '#core/adapters/mail/ses';
import type { MessageSender, OutgoingMessage } from '#core/ports/notify';
import type { VapidKeys } from './web-push';

export interface SenderSettings {
  /** Locally: every message is also written here (`$DATA_DIR/outbox`), and SMS and email go nowhere else. */
  outboxDir?: string;
  /** The VAPID keys (read on the first web push message) and the contact they name (`mailto:` or https). */
  vapid: () => Promise<VapidKeys>;
  vapidSubject: string;
  /** Email's sender (SES identity); absent, email fails. */
  mailFrom?: string;
  /** SMS's origination identity (phone number, sender id or pool); absent, the account's default. */
  smsOrigin?: string;
}

/** The web push payload the service worker shows (web/public/sw.js). */
export const pushPayload = (m: OutgoingMessage) =>
  JSON.stringify({ title: m.subject, body: m.text, url: m.url ?? null, event: m.event, tag: m.ticketCode });

/**
 * The outbox's record of a message: `{ channel, to, event, ticketCode, lang, text, sentAt }` (a
 * mail of core/adapters/mail/outbox.ts has `subject` and no `channel`).
 */
function writeOutbox(dir: string, m: OutgoingMessage) {
  const { channel, to, event, ticketCode, lang, text } = m;
  const sentAt = new Date().toISOString();
  return writeOutboxFile(dir, { channel, to, event, ticketCode, lang, text, sentAt }, channel);
}

/**
 * Locally (an outbox): every message is written to the outbox, and web push is also sent to
 * the browser's push service. In AWS: SMS through End User Messaging, email through SES, web
 * push to the push service. The AWS clients are loaded on their first message.
 */
export function messageSender(settings: SenderSettings): MessageSender {
  // Loaded on the first push, like the AWS clients: a batch without one never pays for it.
  const webPush = async (m: OutgoingMessage) => {
    const { sendWebPush } = await import('./web-push');
    return sendWebPush(m.subscription!, pushPayload(m), {
      ...(await settings.vapid()),
      subject: settings.vapidSubject,
    });
  };
  return {
    async send(m) {
      if (settings.outboxDir) {
        // Written before it goes: a push service that refuses it still leaves the attempt on record.
        await writeOutbox(settings.outboxDir, m);
        if (m.channel === 'webpush') await webPush(m);
        return;
      }
      switch (m.channel) {
        case 'webpush':
          return webPush(m);
        case 'email':
          if (!settings.mailFrom)
            throw Object.assign(new Error('MAIL_FROM is not configured'), { name: 'MessagingNotConfigured' });
          return sesMailer(settings.mailFrom).send({ to: m.to, subject: m.subject, text: m.text });
        case 'sms': {
          const { sendSms } = await import('./sms-client');
          return sendSms({ to: m.to, text: m.text, origin: settings.smsOrigin });
        }
      }
    },
  };
}
