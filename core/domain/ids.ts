import { randomBytes } from 'node:crypto';
import { encodeTime, monotonicFactory } from 'ulid';

/**
 * ULIDs that strictly increase within this process, even within one millisecond: creation
 * order is id order (lists keep it).
 */
export const newId = monotonicFactory();

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ENTRY_CHARS = 7;
const RANDOM_CHARS = 9;

/**
 * A ticket's id: a ULID whose time is the ticket's `queuedAt` and whose random part starts with
 * its entry number in its queue × rank line (see positions.ts). Call order breaks ties of
 * `queuedAt` by id, so tickets of one line queued in the same millisecond — by different Lambdas
 * too — are called in the order they took their numbers. 45 random bits keep ids unique.
 */
export function ticketId(queuedAtMs: number, entry: number): string {
  let digits = '';
  for (let rest = entry, i = 0; i < ENTRY_CHARS; i++, rest = Math.floor(rest / 32)) {
    digits = CROCKFORD[rest % 32] + digits;
  }
  const random = [...randomBytes(RANDOM_CHARS)].map((b) => CROCKFORD[b % 32]).join('');
  return `${encodeTime(queuedAtMs, 10)}${digits}${random}`;
}
