import { BadRequestError, ConflictError } from '#core/domain/errors';
import { hashOpaqueToken } from '#core/domain/opaque-token';
import { hashPassword } from '#core/domain/password';
import { RESET_PASSWORD_PER_ACCOUNT } from '#core/domain/password-reset';
import { applyUserPatch } from '#core/domain/user';
import { enforceBudgets } from '#core/usecases/rate-limit';
import type { PasswordResetContext } from './context';

const ATTEMPTS = 5;

const invalidToken = () =>
  new BadRequestError('invalid-token', 'The reset link is invalid, expired or already used');

/**
 * Sets the password a reset link was mailed for. Like any password change it bumps the user's
 * sessionEpoch, which ends every refresh token (and, through UserStore.update, its access tokens).
 */
export async function resetPassword(
  ctx: Pick<PasswordResetContext, 'now' | 'users' | 'resets' | 'requests'>,
  input: { token: string; password: string },
): Promise<void> {
  const { now } = ctx;
  const tokenHash = hashOpaqueToken(input.token);
  const reset = await ctx.resets.find(tokenHash);
  if (!reset || reset.expiresAt.getTime() <= now.getTime()) throw invalidToken();
  await enforceBudgets(
    ctx.requests,
    'reset-password',
    [{ subject: `${reset.tenantId}#${reset.userId}`, ...RESET_PASSWORD_PER_ACCOUNT }],
    now,
    'Too many password resets for this account, retry later',
  );
  const passwordHash = await hashPassword(input.password);
  // Of two uses of one link, only one gets past this delete.
  if (!(await ctx.resets.consume(tokenHash))) throw invalidToken();
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const user = await ctx.users.get(reset.tenantId, reset.userId);
    // Deactivated, deleted, or its sessions ended (e.g. another reset) since the mail: void.
    if (!user?.active || user.sessionEpoch !== reset.sessionEpoch) throw invalidToken();
    const outcome = await ctx.users.update(applyUserPatch(user, { passwordHash }, now), user.version);
    if (outcome === 'updated') return;
  }
  throw new ConflictError('concurrent-update', 'The user is being changed by someone else, retry');
}
