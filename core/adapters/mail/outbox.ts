import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer } from '#core/ports/mailer';

export interface MailLog {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/**
 * One JSON file per message in `dir`, named time first so that a listing is in sending order
 * (`infix` tells kinds apart in the name). Written aside, then renamed: whoever watches the
 * folder never reads half a message. Returns the file's path.
 */
export async function writeOutboxFile(dir: string, record: object, infix?: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const time = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${time}-${infix ? `${infix}-` : ''}${randomBytes(4).toString('hex')}.json`);
  await writeFile(`${file}.partial`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${file}.partial`, file);
  return file;
}

/**
 * Local mail: one JSON file `{ to, subject, text }` per message in `dir`. The log line names the
 * file but not the text, which carries one-time tokens.
 */
export function outboxMailer(dir: string, log: MailLog): Mailer {
  return {
    async send({ to, subject, text }) {
      const file = await writeOutboxFile(dir, { to, subject, text });
      log.info('mail written to outbox', { subject, file });
    },
  };
}
