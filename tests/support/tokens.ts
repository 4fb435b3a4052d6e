import { importJWK, type JWK, SignJWT } from 'jose';
import { ulid } from 'ulid';
import { builtInRole } from '#core/domain/permissions';

export interface TokenClaims {
  tenantId: string;
  userId?: string;
  role?: string;
  perms?: string[];
  branches?: string[];
}

/**
 * Mints an access token the way login does, for tests that need a given role without a
 * login round trip. `overrides` lets security tests tamper with any claim or header.
 */
export async function mintToken(
  key: JWK,
  claims: TokenClaims,
  overrides: {
    header?: Record<string, unknown>;
    payload?: Record<string, unknown>;
    expiresIn?: string | number;
  } = {},
): Promise<string> {
  const role = claims.role ?? 'admin';
  const payload = {
    tid: claims.tenantId,
    role,
    perms: claims.perms ?? builtInRole(role)?.permissions ?? [],
    branches: claims.branches ?? ['*'],
    ...overrides.payload,
  };
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT', ...overrides.header } as never)
    .setSubject(claims.userId ?? ulid())
    .setIssuer(process.env.JWT_ISSUER ?? 'https://queueline.dev')
    .setAudience(process.env.JWT_AUDIENCE ?? 'queueline-api')
    .setIssuedAt()
    .setJti(ulid())
    .setExpirationTime(overrides.expiresIn ?? '15m');
  return jwt.sign(await importJWK(key, 'ES256'));
}
