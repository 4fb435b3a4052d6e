import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer secrets (refresh tokens, e-mail verification tokens): 256 random bits. Only
 * their SHA-256 is stored, so a leaked table does not leak usable tokens; a fast hash is
 * enough because the input is random, not a password.
 */
export const newOpaqueToken = () => randomBytes(32).toString('base64url');

export const hashOpaqueToken = (token: string) => createHash('sha256').update(token).digest('base64url');
