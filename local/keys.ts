import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { generateVapidKeys, type VapidKeys } from '#core/adapters/notify/web-push';

/** A fresh ES256 private JWK with `kid` = its RFC 7638 thumbprint. */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'ES256', use: 'sig' };
}

/** Locally the keys are generated once into $DATA_DIR (never committed, mode 600). */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<string> {
  const file = join(dataDir, 'signing-keys.json');
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const json = JSON.stringify({ keys: [await generateSigningKey()] });
  writeFileSync(file, json, { mode: 0o600 });
  return json;
}

/** A fresh key that seals pagination cursors (functions/commons/cursor-seal.ts): 32 random bytes. */
export function generateCursorKey(): string {
  return randomBytes(32).toString('base64url');
}

/** Like the signing keys: generated once into $DATA_DIR, mode 600, so cursors survive a restart. */
export function loadOrCreateCursorKey(dataDir: string): string {
  const file = join(dataDir, 'cursor-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = generateCursorKey();
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** The web push (VAPID) key pair, like the signing keys: generated once into $DATA_DIR, mode 600. */
export function loadOrCreateVapidKeys(dataDir: string): VapidKeys {
  const file = join(dataDir, 'vapid-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as VapidKeys;
  const keys = generateVapidKeys();
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}
