import type { UserRecord } from './user';

/** Access tokens (SPEC §4): short-lived JWTs; refresh tokens: opaque, rotating, 30 days. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

/** The claims login and refresh put in an access token, besides iss, aud, iat, exp and jti. */
export interface AccessClaims {
  sub: string;
  tid: string;
  role: string;
  perms: string[];
  branches: string[];
}

export function accessClaims(user: UserRecord, permissions: readonly string[]): AccessClaims {
  return {
    sub: user.id,
    tid: user.tenantId,
    role: user.roleId,
    perms: [...permissions],
    branches: user.branchIds ?? ['*'],
  };
}
