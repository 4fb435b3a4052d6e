import { hashOpaqueToken } from '#core/domain/opaque-token';
import type { SessionStore } from '#core/ports/sessions';

/** Ends the login the token belongs to. Unknown tokens are ignored: logout reveals nothing. */
export async function logout(
  deps: { sessions: SessionStore },
  input: { refreshToken: string },
  now: Date,
): Promise<void> {
  const token = await deps.sessions.findToken(hashOpaqueToken(input.refreshToken));
  if (token) await deps.sessions.revokeFamily(token.tenantId, token.familyId, now);
}
