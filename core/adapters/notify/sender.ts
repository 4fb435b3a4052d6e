import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageSender, OutgoingMessage } from '#core/ports/notify';
import { sendWebPush, type VapidKeys } from './web-push';

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

const notConfigured = (what: string) =>
  Object.assign(new Error(`${what} is not configured`), { name: 'MessagingNotConfigured' });

/** The web push payload the service worker shows (web/public/sw.js). */
export const pushPayload = (m: OutgoingMessage) =>
  JSON.stringify({ title: m.subject, body: m.text, url: m.url ?? null, event: m.event, tag: m.ticketCode });

/**
 * One JSON file per message in `dir`: `{ channel, to, event, ticketCode, lang, text, sentAt }`
 * (a mail of core/adapters/mail/outbox.ts has `subject` and no `channel`). Named time first,
 * so a listing is in sending order.
 */
async function writeOutbox(dir: string, m: OutgoingMessage) {
  await mkdir(dir, { recursive: true });
  const sentAt = new Date().toISOString();
  const file = join(
    dir,
    `${sentAt.replace(/[:.]/g, '-')}-${m.channel}-${randomBytes(4).toString('hex')}.json`,
  );
  const { channel, to, event, ticketCode, lang, text } = m;
  // Written aside, then renamed: whoever watches the folder never reads half a message.
  const json = `${JSON.stringify({ channel, to, event, ticketCode, lang, text, sentAt }, null, 2)}\n`;
  await writeFile(`${file}.partial`, json);
  await rename(`${file}.partial`, file);
}

/**
 * Locally (an outbox): every message is written to the outbox, and web push is also sent to
 * the browser's push service. In AWS: SMS through End User Messaging, email through SES, web
 * push to the push service. The AWS clients are loaded on their first message.
 */
export function messageSender(settings: SenderSettings): MessageSender {
  const webPush = async (m: OutgoingMessage) =>
    sendWebPush(m.subscription!, pushPayload(m), {
      ...(await settings.vapid()),
      subject: settings.vapidSubject,
    });
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
        case 'email': {
          if (!settings.mailFrom) throw notConfigured('MAIL_FROM');
          const { sendEmail } = await import('#core/adapters/mail/ses-client');
          return sendEmail({ from: settings.mailFrom, to: m.to, subject: m.subject, text: m.text });
        }
        case 'sms': {
          const { sendSms } = await import('./sms-client');
          return sendSms({ to: m.to, text: m.text, origin: settings.smsOrigin });
        }
      }
    },
  };
}
