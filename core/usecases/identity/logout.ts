import { hashOpaqueToken } from '#core/domain/opaque-token';
import type { SessionContext } from './context';

/** Ends the login the token belongs to. Unknown tokens are ignored: logout reveals nothing. */
export async function logout(
  ctx: Pick<SessionContext, 'now' | 'sessions'>,
  input: { refreshToken: string },
): Promise<void> {
  const token = await ctx.sessions.findToken(hashOpaqueToken(input.refreshToken));
  if (token) await ctx.sessions.revokeFamily(token.tenantId, token.familyId, ctx.now);
}
