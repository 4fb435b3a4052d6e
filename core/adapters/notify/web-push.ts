import webpush from 'web-push';
import type { PushSubscription } from '#core/domain/notify';

/** The VAPID key pair (RFC 8292), base64url, as web-push makes them. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** A push service that does not answer in this time fails the message (it is not retried). */
const SEND_TIMEOUT_MS = 5_000;
/** A notification nobody's browser picked up within an hour is no longer news. */
const TTL_SECONDS = 3_600;

/**
 * Sends one web push message: web-push encrypts the payload (RFC 8291, aes128gcm) and signs
 * the VAPID header (RFC 8292); the request goes out with fetch, so an http endpoint on a
 * loopback host (local development, tests) is reached as well as a push service's https one.
 */
export async function sendWebPush(
  subscription: PushSubscription,
  payload: string,
  vapid: VapidKeys & { subject: string },
): Promise<void> {
  const request = webpush.generateRequestDetails(
    { endpoint: subscription.endpoint, keys: subscription.keys },
    payload,
    {
      vapidDetails: vapid,
      TTL: TTL_SECONDS,
      urgency: 'high',
      contentEncoding: 'aes128gcm',
    },
  );
  const response = await fetch(request.endpoint, {
    method: request.method,
    headers: request.headers as Record<string, string>,
    body: request.body ?? undefined,
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  if (!response.ok)
    throw Object.assign(new Error(`The push service answered ${response.status}`), {
      name: 'PushRefused',
      statusCode: response.status,
    });
}

export const generateVapidKeys = (): VapidKeys => webpush.generateVAPIDKeys();
