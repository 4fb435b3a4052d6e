import { type CryptoKey, importJWK, SignJWT } from 'jose';
import { ulid } from 'ulid';
import { dynamoRoleStore } from '../../core/adapters/dynamo/role-store';
import { dynamoSessionStore } from '../../core/adapters/dynamo/session-store';
import { dynamoUserStore } from '../../core/adapters/dynamo/user-store';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../core/domain/session';
import type { AccessTokenSigner } from '../../core/ports/sessions';
import { JWT_AUDIENCE, JWT_ISSUER, signingKeys } from './signing-keys';

const imported = new Map<string, Promise<CryptoKey | Uint8Array>>();

/**
 * ES256 access tokens signed with the current key (the first of the set) and its `kid`, so
 * verifiers pick the right public key while the previous one is still listed during rotation.
 */
export const jwtSigner: AccessTokenSigner = {
  async sign(claims, now) {
    const jwk = (await signingKeys()).keys[0]!;
    const kid = jwk.kid ?? '';
    let key = imported.get(kid);
    if (!key) {
      key = importJWK(jwk, 'ES256');
      imported.set(kid, key);
    }
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ tid: claims.tid, role: claims.role, perms: claims.perms, branches: claims.branches })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(JWT_ISSUER())
      .setAudience(JWT_AUDIENCE())
      .setSubject(claims.sub)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
      .setJti(ulid())
      .sign(await key);
  },
};

/** What the token-issuing handlers (login, refresh) share. */
export const sessionDeps = {
  users: dynamoUserStore,
  roles: dynamoRoleStore,
  sessions: dynamoSessionStore,
  signer: jwtSigner,
};
