import { UnauthorizedError } from '#core/domain/errors';
import { hashOpaqueToken, newOpaqueToken } from '#core/domain/opaque-token';
import type { UserStore } from '#core/ports/users';
import { type Session, type SessionDeps, sessionFor } from './session';

export interface RefreshDeps extends SessionDeps {
  users: UserStore;
}

const invalid = () => new UnauthorizedError('The refresh token is invalid, expired or revoked');

/**
 * Single use and rotating: the presented token is exchanged for a new one. Presenting a token
 * that was already exchanged means it leaked (or the client replays): the whole login ends.
 */
export async function refresh(
  deps: RefreshDeps,
  input: { refreshToken: string },
  now: Date,
): Promise<Session> {
  const fromHash = hashOpaqueToken(input.refreshToken);
  const token = await deps.sessions.findToken(fromHash);
  if (!token || token.expiresAt <= now) throw invalid();
  const revoke = () => deps.sessions.revokeFamily(token.tenantId, token.familyId, now);
  if (token.state === 'rotated') {
    await revoke();
    throw invalid();
  }
  const [user, family] = await Promise.all([
    deps.users.get(token.tenantId, token.userId),
    deps.sessions.getFamily(token.tenantId, token.familyId),
  ]);
  if (!user?.active || !family || family.revokedAt || family.sessionEpoch !== user.sessionEpoch) {
    throw invalid();
  }
  const next = newOpaqueToken();
  const outcome = await deps.sessions.rotate({
    fromHash,
    toHash: hashOpaqueToken(next),
    token,
    sessionEpoch: user.sessionEpoch,
    now,
  });
  if (outcome === 'reused') await revoke();
  if (outcome !== 'rotated') throw invalid();
  return sessionFor(deps, user, next, now);
}
