import { UnauthorizedError } from '#core/domain/errors';
import { hashOpaqueToken, newOpaqueToken } from '#core/domain/opaque-token';
import type { SessionContext } from './context';
import { type Session, type SessionPorts, sessionFor } from './session';

const invalid = () => new UnauthorizedError('The refresh token is invalid, expired or revoked');

/**
 * Single use and rotating: the presented token is exchanged for a new one. Presenting a token
 * that was already exchanged means it leaked (or the client replays): the whole login ends.
 */
export async function refresh(
  ctx: SessionPorts & Pick<SessionContext, 'users'>,
  input: { refreshToken: string },
): Promise<Session> {
  const { now } = ctx;
  const fromHash = hashOpaqueToken(input.refreshToken);
  const token = await ctx.sessions.findToken(fromHash);
  if (!token || token.expiresAt <= now) throw invalid();
  const revoke = () => ctx.sessions.revokeFamily(token.tenantId, token.familyId, now);
  if (token.state === 'rotated') {
    await revoke();
    throw invalid();
  }
  const [user, family] = await Promise.all([
    ctx.users.get(token.tenantId, token.userId),
    ctx.sessions.getFamily(token.tenantId, token.familyId),
  ]);
  if (!user?.active || !family || family.revokedAt || family.sessionEpoch !== user.sessionEpoch) {
    throw invalid();
  }
  const next = newOpaqueToken();
  const outcome = await ctx.sessions.rotate({
    fromHash,
    toHash: hashOpaqueToken(next),
    token,
    sessionEpoch: user.sessionEpoch,
    now,
  });
  if (outcome === 'reused') await revoke();
  if (outcome !== 'rotated') throw invalid();
  return sessionFor(ctx, user, next);
}
