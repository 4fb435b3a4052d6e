import { createPrivateKey, type JsonWebKey, type KeyObject, sign } from 'node:crypto';
import { ulid } from 'ulid';
import { ACCESS_TOKEN_TTL_SECONDS } from '#core/domain/session';
import type { AccessTokenSigner } from '#core/ports/sessions';
import { JWT_AUDIENCE, JWT_ISSUER, signingKeys } from './signing-keys';

const privateKeys = new Map<string, KeyObject>();

const base64url = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');

/**
 * ES256 access tokens signed with the current key (the first of the set) and its `kid`, so
 * verifiers pick the right public key while the previous one is still listed during rotation.
 * node:crypto signs them; no JWS library is needed (docs/performance.md §1).
 */
export const jwtSigner: AccessTokenSigner = {
  async sign(claims, now) {
    const jwk = (await signingKeys()).keys[0]!;
    const kid = jwk.kid ?? '';
    let key = privateKeys.get(kid);
    if (!key) {
      key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
      privateKeys.set(kid, key);
    }
    const iat = Math.floor(now.getTime() / 1000);
    const header = { alg: 'ES256', kid, typ: 'JWT' };
    const payload = {
      tid: claims.tid,
      role: claims.role,
      perms: claims.perms,
      branches: claims.branches,
      uv: claims.uv,
      rv: claims.rv,
      iss: JWT_ISSUER(),
      aud: JWT_AUDIENCE(),
      sub: claims.sub,
      iat,
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
      jti: ulid(),
    };
    const signingInput = `${base64url(header)}.${base64url(payload)}`;
    // JWS wants the raw r || s pair (IEEE P1363), not the DER encoding node:crypto defaults to.
    const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  },
};
