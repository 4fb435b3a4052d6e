import { ulid } from 'ulid';
import { hashOpaqueToken, newOpaqueToken } from '#core/domain/opaque-token';
import { builtInRole } from '#core/domain/permissions';
import { ACCESS_TOKEN_TTL_SECONDS, accessClaims, type RoleGrants } from '#core/domain/session';
import { publicUser, type User, type UserRecord } from '#core/domain/user';
import type { RoleStore } from '#core/ports/roles';
import type { SessionContext } from './context';

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

/** What issuing tokens needs. */
export type SessionPorts = Pick<SessionContext, 'now' | 'roles' | 'sessions' | 'signer'>;

/**
 * The permissions of the user's role as they are now, with the role's version (built-in roles
 * never change: 0). A custom role deleted under the user (possible only in a narrow race with
 * its last user's reassignment) grants nothing.
 */
async function grantsOf(roles: RoleStore, user: UserRecord): Promise<RoleGrants> {
  const builtIn = builtInRole(user.roleId);
  if (builtIn) return { permissions: builtIn.permissions, version: 0 };
  return (await roles.grants(user.tenantId, user.roleId)) ?? { permissions: [], version: 0 };
}

/** Login and refresh answer alike: a fresh access token carrying the user's current grants. */
export async function sessionFor(
  ctx: SessionPorts,
  user: UserRecord,
  refreshToken: string,
): Promise<Session> {
  const claims = accessClaims(user, await grantsOf(ctx.roles, user));
  return {
    accessToken: await ctx.signer.sign(claims, ctx.now),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    user: publicUser(user),
  };
}

/** A new login: a new refresh-token family bound to the user's current session epoch. */
export async function startSession(ctx: SessionPorts, user: UserRecord): Promise<Session> {
  const refreshToken = newOpaqueToken();
  await ctx.sessions.start({
    tenantId: user.tenantId,
    userId: user.id,
    familyId: ulid(),
    sessionEpoch: user.sessionEpoch,
    tokenHash: hashOpaqueToken(refreshToken),
    now: ctx.now,
  });
  return sessionFor(ctx, user, refreshToken);
}
