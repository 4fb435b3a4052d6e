import type { JWK } from 'jose';

/**
 * Signing keys are a JSON `{ "keys": [signing, other?] }` of private ES256 JWKs with `kid`; the
 * first signs, every one verifies (a rotation lists two, docs/deploy.md). Only the functions
 * that sign (login, refresh) read them: in AWS from the SST secret `SigningKeys`, linked to those
 * two alone; locally `npm start` generates them once into $DATA_DIR and passes them through
 * QUEUELINE_SIGNING_KEYS.
 *
 * Every other function verifies with the public halves only, from QUEUELINE_PUBLIC_JWKS: in AWS
 * derived from the secret at deploy time (infra/secrets.ts), locally set by `npm start` and the
 * tests from the same keys. A verifier never holds a private key.
 */
export interface SigningKeys {
  keys: JWK[];
}

export interface PublicJwks {
  keys: JWK[];
}

let cached: SigningKeys | undefined;
let cachedPublic: PublicJwks | undefined;

/** The private keys, for signing. */
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

/** The public halves of a key set: what the JWKS publishes and the verifiers are given. */
export function publicJwksOf({ keys }: SigningKeys): PublicJwks {
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

/** The public keys, for verifying and for /.well-known/jwks.json: never the private ones. */
export function publicJwks(): PublicJwks {
  if (!cachedPublic) {
    const raw = process.env.QUEUELINE_PUBLIC_JWKS;
    if (!raw) throw new Error('No public JWKS configured (QUEUELINE_PUBLIC_JWKS)');
    const parsed = JSON.parse(raw) as PublicJwks;
    if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) throw new Error('No public keys configured');
    // Only public members pass, whatever the variable holds.
    cachedPublic = publicJwksOf(parsed);
  }
  return cachedPublic;
}

/** The environment a process that both signs and verifies needs (npm start, the tests): both variables from one key set. */
export function signingEnvironment(keys: SigningKeys): {
  QUEUELINE_SIGNING_KEYS: string;
  QUEUELINE_PUBLIC_JWKS: string;
} {
  return {
    QUEUELINE_SIGNING_KEYS: JSON.stringify(keys),
    QUEUELINE_PUBLIC_JWKS: JSON.stringify(publicJwksOf(keys)),
  };
}

export const JWT_ISSUER = () => process.env.JWT_ISSUER ?? 'https://queueline.dev';
export const JWT_AUDIENCE = () => process.env.JWT_AUDIENCE ?? 'queueline-api';

/** Tests swap keys between cases. */
export function resetSigningKeys(): void {
  cached = undefined;
  cachedPublic = undefined;
}
