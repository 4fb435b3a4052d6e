import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A ticket's public token (docs/rules.md#the-ticket) carries where the ticket lives — tenant id
 * and ticket id, 16 bytes each — plus 128 random bits, base64url-encoded (64 characters). The
 * status page then costs one GetItem and no lookup item; the random part, compared in constant
 * time with the stored token, is what makes it unguessable.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function ulidToBytes(id: string): Buffer {
  let value = 0n;
  for (const char of id) {
    const digit = CROCKFORD.indexOf(char);
    if (digit < 0) throw new Error('not a ULID');
    value = (value << 5n) | BigInt(digit);
  }
  const bytes = Buffer.alloc(16);
  for (let i = 15; i >= 0; i--) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}

function bytesToUlid(bytes: Buffer): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = CROCKFORD[Number(value & 31n)] + id;
    value >>= 5n;
  }
  return id;
}

export function newPublicToken(tenantId: string, ticketId: string): string {
  return Buffer.concat([ulidToBytes(tenantId), ulidToBytes(ticketId), randomBytes(16)]).toString('base64url');
}

export function parsePublicToken(token: string): { tenantId: string; ticketId: string } | undefined {
  if (!/^[A-Za-z0-9_-]{64}$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 48) return undefined;
  return { tenantId: bytesToUlid(bytes.subarray(0, 16)), ticketId: bytesToUlid(bytes.subarray(16, 32)) };
}

export function samePublicToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
