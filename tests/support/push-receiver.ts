import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import http from 'node:http';

/**
 * A push service of our own for tests: an HTTP server on 127.0.0.1 that takes what a push
 * service takes (RFC 8030), and a browser's side of a subscription — its P-256 key pair and
 * auth secret — to decrypt each message as the browser would (RFC 8291, aes128gcm) with
 * node:crypto alone, and to check its VAPID header (RFC 8292).
 */

export interface Subscriber {
  /** The body of POST …/subscriptions, as PushSubscription.toJSON() gives it. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** What arrived at this endpoint, decrypted. */
  received: PushReceived[];
}

export interface PushReceived {
  payload: string;
  headers: http.IncomingHttpHeaders;
  vapid: { publicKey: string; claims: { aud: string; exp: number; sub: string }; verified: boolean };
}

/** RFC 8291 §3.4 and RFC 8188: one aes128gcm record, decrypted with the browser's keys. */
export function decryptAes128gcm(
  body: Buffer,
  browser: { ecdh: ReturnType<typeof createECDH>; auth: Buffer },
): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20]!;
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const browserPublic = browser.ecdh.getPublicKey();
  const ecdhSecret = browser.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browserPublic, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, browser.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([
    decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('Not the last record: no 0x02 delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** `Authorization: vapid t=<JWT>, k=<public key>`: the claims, and whether the ES256 signature holds for k. */
export function checkVapid(authorization: string | undefined): PushReceived['vapid'] {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error(`Not a VAPID Authorization header: ${authorization}`);
  const [, jwt, k] = match as unknown as [string, string, string];
  const [header, claims, signature] = jwt.split('.') as [string, string, string];
  const raw = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const alg = JSON.parse(Buffer.from(header, 'base64url').toString()).alg;
  const verified =
    alg === 'ES256' &&
    verify(
      'sha256',
      Buffer.from(`${header}.${claims}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
  return { publicKey: k, claims: JSON.parse(Buffer.from(claims, 'base64url').toString()), verified };
}

export interface PushReceiver {
  url: string;
  /** A new browser subscribed at this receiver: its own endpoint and keys. */
  subscriber(): Subscriber;
  /** Requests that could not be decrypted or checked (the test expects none). */
  errors: string[];
  close(): Promise<void>;
}

export async function startPushReceiver(): Promise<PushReceiver> {
  const browsers = new Map<
    string,
    { ecdh: ReturnType<typeof createECDH>; auth: Buffer; subscriber: Subscriber }
  >();
  const errors: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const browser = browsers.get(req.url ?? '');
      if (req.method !== 'POST' || !browser) {
        res.writeHead(404).end();
        return;
      }
      try {
        if (req.headers['content-encoding'] !== 'aes128gcm')
          throw new Error(`Content-Encoding ${req.headers['content-encoding']}`);
        browser.subscriber.received.push({
          payload: decryptAes128gcm(Buffer.concat(chunks), browser),
          headers: req.headers,
          vapid: checkVapid(req.headers.authorization),
        });
        res.writeHead(201).end();
      } catch (error) {
        errors.push(`${req.url}: ${(error as Error).message}`);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    errors,
    subscriber() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${randomBytes(12).toString('base64url')}`;
      const subscriber: Subscriber = {
        subscription: {
          endpoint: `${url}${path}`,
          keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
        },
        received: [],
      };
      browsers.set(path, { ecdh, auth, subscriber });
      return subscriber;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
