import { describe, expect, it } from 'vitest';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '#core/domain/password';

describe('password hashing (scrypt, OWASP parameters)', () => {
  it('stores the parameters N=2^17, r=8, p=1, a 16-byte salt and a 32-byte key', async () => {
    const hash = await hashPassword('correct horse battery');
    const [scheme, logN, r, p, salt, key] = hash.split('$');
    expect([scheme, logN, r, p]).toEqual(['scrypt', '17', '8', '1']);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(32);
    expect(hash).not.toContain('correct horse battery');
  });

  it('verifies the right password and rejects others', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash, so equal passwords hash differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!'), hashPassword('same password!')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password!', b)).toBe(true);
  });

  it('treats canonically equivalent Unicode spellings as the same password', async () => {
    const hash = await hashPassword('caf\u00e9-password');
    expect(await verifyPassword('cafe\u0301-password', hash)).toBe(true);
  });

  it('never matches the dummy hash used for unknown users, which has the real parameters', async () => {
    expect(DUMMY_PASSWORD_HASH.startsWith('scrypt$17$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse battery', DUMMY_PASSWORD_HASH)).toBe(false);
  });

  it.each([
    '',
    'plain',
    'bcrypt$10$abc$def',
    'scrypt$17$8$1$c2FsdA$', // empty key
    'scrypt$30$8$1$c2FsdA$a2V5', // absurd cost: refused before any work
    'scrypt$17$8$1$c2FsdA$a2V5', // key of the wrong length
  ])('rejects the malformed stored hash %j without throwing', async (stored) => {
    expect(await verifyPassword('whatever-password', stored)).toBe(false);
  });
});
