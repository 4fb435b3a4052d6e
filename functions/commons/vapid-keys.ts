import type { VapidKeys } from '#core/adapters/notify/web-push';
import { ServiceUnavailableError } from '#core/domain/errors';

/**
 * The web push (VAPID) key pair, `{ "publicKey", "privateKey" }` (base64url). Only the function
 * that sends messages reads the pair: in AWS from the SST secret `VapidKeys`, linked to it alone;
 * locally `npm start` generates it once into $DATA_DIR and passes it through QUEUELINE_VAPID_KEYS.
 * The push-key route publishes the public half alone, from QUEUELINE_VAPID_PUBLIC_KEY (in AWS
 * derived from the secret at deploy time, infra/secrets.ts).
 */
let cached: VapidKeys | undefined;

export async function vapidKeys(): Promise<VapidKeys> {
  if (!cached) {
    const raw = process.env.QUEUELINE_VAPID_KEYS ?? (await secretFromSst());
    const parsed = JSON.parse(raw) as VapidKeys;
    if (!parsed.publicKey || !parsed.privateKey) throw new Error('No VAPID keys configured');
    cached = parsed;
  }
  return cached;
}

async function secretFromSst(): Promise<string> {
  const { Resource } = await import('sst/resource');
  return (Resource as unknown as { VapidKeys: { value: string } }).VapidKeys.value;
}

/** The public key browsers subscribe with: 503 until one is configured. */
export function vapidPublicKey(): string {
  const key = process.env.QUEUELINE_VAPID_PUBLIC_KEY;
  if (!key) throw new ServiceUnavailableError('Web push is not configured');
  return key;
}

/** Tests switch keys between files. */
export function resetVapidKeys(): void {
  cached = undefined;
}

/** The environment a process with this key pair needs: the pair (sender) and its public half (route). */
export const vapidEnvironment = (keys: VapidKeys) => ({
  QUEUELINE_VAPID_KEYS: JSON.stringify(keys),
  QUEUELINE_VAPID_PUBLIC_KEY: keys.publicKey,
});
