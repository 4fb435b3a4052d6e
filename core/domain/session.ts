import type { UserRecord } from './user';

/**
 * Access tokens (docs/rules.md#sessions): short-lived JWTs; refresh tokens: opaque, rotating, 30
 * days.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

/** The claims login and refresh put in an access token, besides iss, aud, iat, exp and jti. */
export interface AccessClaims {
  sub: string;
  tid: string;
  role: string;
  perms: string[];
  branches: string[];
  /** The user record's version at issue: a later change can end the token (./revocation.ts). */
  uv: number;
  /** The custom role's version at issue (0 for built-in roles, which never change). */
  rv: number;
}

/** What a role grants at the moment a token is issued. */
export interface RoleGrants {
  permissions: readonly string[];
  version: number;
}

export function accessClaims(user: UserRecord, grants: RoleGrants): AccessClaims {
  return {
    sub: user.id,
    tid: user.tenantId,
    role: user.roleId,
    perms: [...grants.permissions],
    branches: user.branchIds ?? ['*'],
    uv: user.version,
    rv: grants.version,
  };
}
