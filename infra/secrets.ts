import { publicJwksOf, type SigningKeys } from '#functions/commons/signing-keys';

/**
 * `SigningKeys`: a JSON `{ "keys": [current, next or previous?] }` of private ES256 JWKs with
 * `kid`. No placeholder, so a deploy fails until it is set. Only the functions that sign (login,
 * refresh) have it linked — SST encrypts a linked secret into the function's package —; every
 * other function gets `publicJwks` below. Generate and set it per stage:
 *
 *   npx sst secret set SigningKeys "$(npm run --silent keys)" --stage <stage>
 *
 * Rotation publishes the new public key before anything signs with it (docs/deploy.md).
 */
export function createSecrets() {
  const signingKeys = new sst.Secret('SigningKeys');
  /**
   * `CursorKey`: the key that seals pagination cursors (functions/commons/cursor-seal.ts), at
   * least 32 characters, linked only to the functions of paginated routes. No placeholder either:
   *
   *   npx sst secret set CursorKey "$(openssl rand -base64 32)" --stage <stage>
   *
   * Setting a new value invalidates the cursors given out so far: a client holding one gets a
   * 400 and starts its list again from the first page.
   */
  const cursorKey = new sst.Secret('CursorKey');
  /**
   * The public halves of the signing keys, derived at deploy time: the verifiers' env
   * QUEUELINE_PUBLIC_JWKS (functions/commons/signing-keys.ts). Not secret, so a plain output.
   */
  const publicJwks = $output(signingKeys.value).apply((value) =>
    JSON.stringify(publicJwksOf(JSON.parse(value) as SigningKeys)),
  );
  /**
   * `VapidKeys`: the web push key pair (RFC 8292), a JSON `{ "publicKey", "privateKey" }`
   * (base64url), linked only to the function that sends customers' messages (functions/notify.ts).
   * No placeholder either:
   *
   *   npx sst secret set VapidKeys "$(npx --no-install web-push generate-vapid-keys --json)" --stage <stage>
   *
   * A new pair invalidates every browser's subscription (they were made with the old public key).
   */
  const vapidKeys = new sst.Secret('VapidKeys');
  /** Its public half, for GET /v1/public/push-key (QUEUELINE_VAPID_PUBLIC_KEY): not secret. */
  const vapidPublicKey = $output(vapidKeys.value).apply(
    (value) => (JSON.parse(value) as { publicKey: string }).publicKey,
  );
  return { signingKeys, cursorKey, publicJwks, vapidKeys, vapidPublicKey };
}
