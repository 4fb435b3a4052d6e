import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A customer's message as the local sender writes it to the outbox. */
export interface OutboxMessage {
  channel: 'sms' | 'email' | 'webpush';
  to: string;
  event: 'near' | 'called';
  ticketCode: string;
  lang: string;
  text: string;
  sentAt: string;
}

/** The customers' messages in an outbox directory, in sending order (mails, which have no `channel`, left out). */
export function outboxMessages(dir: string): OutboxMessage[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  return files
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Partial<OutboxMessage>)
    .filter((m): m is OutboxMessage => typeof m.channel === 'string');
}

/** Waits until `found` holds for the outbox (fails after `ms`, showing what is there). */
export async function untilOutbox<T>(
  dir: string,
  found: (messages: OutboxMessage[]) => T | undefined | false,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const messages = outboxMessages(dir);
    const result = found(messages);
    if (result) return result;
    if (Date.now() > deadline)
      throw new Error(`The outbox never got there: ${JSON.stringify(messages.map(({ text, ...m }) => m))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
