import type { JWK } from 'jose';

/**
 * Signing keys are a JSON `{ "keys": [current, previous?] }` of private ES256 JWKs with `kid`.
 * In AWS they come from the SST secret `SigningKeys`; locally `npm start` generates them once
 * into $DATA_DIR and passes them through QUEUELINE_SIGNING_KEYS. Only public parts ever leave.
 */
export interface SigningKeys {
  keys: JWK[];
}

let cached: SigningKeys | undefined;

export async function signingKeys(): Promise<SigningKeys> {
  if (!cached) {
    const raw = process.env.QUEUELINE_SIGNING_KEYS ?? (await secretFromSst());
    const parsed = JSON.parse(raw) as SigningKeys;
    if (!Array.isArray(parsed.keys) || parsed.keys.length === 0)
      throw new Error('No signing keys configured');
    cached = parsed;
  }
  return cached;
}

async function secretFromSst(): Promise<string> {
  const { Resource } = await import('sst/resource');
  return (Resource as unknown as { SigningKeys: { value: string } }).SigningKeys.value;
}

export async function publicJwks(): Promise<{ keys: JWK[] }> {
  const { keys } = await signingKeys();
  return {
    keys: keys.map(({ kty, crv, x, y, kid, alg }) => ({
      kty,
      crv,
      x,
      y,
      kid,
      alg: alg ?? 'ES256',
      use: 'sig',
    })),
  };
}

export const JWT_ISSUER = () => process.env.JWT_ISSUER ?? 'https://queueline.dev';
export const JWT_AUDIENCE = () => process.env.JWT_AUDIENCE ?? 'queueline-api';

/** Tests swap keys between cases. */
export function resetSigningKeys(): void {
  cached = undefined;
}
