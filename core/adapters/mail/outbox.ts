import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer } from '#core/ports/mailer';

export interface MailLog {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/**
 * Local mail: one JSON file `{ to, subject, text }` per message in `dir`. The log line names the
 * file but not the text, which carries one-time tokens.
 */
export function outboxMailer(dir: string, log: MailLog): Mailer {
  return {
    async send({ to, subject, text }) {
      await mkdir(dir, { recursive: true });
      // Time first so that a directory listing is in sending order.
      const file = join(
        dir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.json`,
      );
      await writeFile(file, `${JSON.stringify({ to, subject, text }, null, 2)}\n`);
      log.info('mail written to outbox', { subject, file });
    },
  };
}
