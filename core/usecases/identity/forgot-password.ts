import { setTimeout as sleep } from 'node:timers/promises';
import { throttleSubject } from '#core/domain/login-throttle';
import { hashOpaqueToken, newOpaqueToken } from '#core/domain/opaque-token';
import {
  FORGOT_PASSWORD_FLOOR_MS,
  FORGOT_PASSWORD_PER_ACCOUNT,
  RESET_TOKEN_TTL_SECONDS,
} from '#core/domain/password-reset';
import { normalizeUsername } from '#core/domain/user';
import { enforceBudgets } from '#core/usecases/rate-limit';
import type { PasswordResetContext } from './context';

/** For the log only: the answer is the same 202 whatever happened. */
export type ForgotPasswordOutcome = 'mailed' | 'no-mail' | 'mail-failed';

/**
 * Mails a single-use reset link to a known, active user with an e-mail address of a verified
 * tenant; does nothing visible otherwise. Whatever the case, it returns no sooner than
 * FORGOT_PASSWORD_FLOOR_MS after it started.
 */
export async function forgotPassword(
  ctx: PasswordResetContext,
  input: { tenant: string; username: string },
): Promise<ForgotPasswordOutcome> {
  const floor = sleep(FORGOT_PASSWORD_FLOOR_MS);
  try {
    return await mailResetLink(ctx, input);
  } finally {
    await floor;
  }
}

async function mailResetLink(
  ctx: PasswordResetContext,
  input: { tenant: string; username: string },
): Promise<ForgotPasswordOutcome> {
  const { now } = ctx;
  // Counted by what was asked, whether it exists or not: a 429 tells nothing about the account.
  const account = throttleSubject(input.tenant, input.username);
  await enforceBudgets(
    ctx.requests,
    'forgot-password',
    [{ subject: account, ...FORGOT_PASSWORD_PER_ACCOUNT }],
    now,
    'Too many password reset requests for this account, retry later',
  );
  const slug = input.tenant.toLowerCase();
  const tenant = await ctx.tenants.findBySlug(slug, now);
  // An unverified signup's address is unconfirmed: it gets the verification mail, nothing more.
  const user = tenant?.verified
    ? await ctx.users.findByUsername(tenant.tenantId, normalizeUsername(input.username))
    : undefined;
  if (!user?.active || !user.email) return 'no-mail';

  const token = newOpaqueToken();
  await ctx.resets.issue(hashOpaqueToken(token), {
    tenantId: user.tenantId,
    userId: user.id,
    sessionEpoch: user.sessionEpoch,
    expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_SECONDS * 1000),
  });
  try {
    await ctx.mailer.send({
      to: user.email,
      subject: 'Reset your Queueline password',
      text: [
        `Hello ${user.fullName},`,
        '',
        `Someone asked to reset the password of ${user.username} at ${slug} on Queueline. Choose a new one here:`,
        // The token is base64url: nothing to escape.
        `${ctx.resetUrl}?token=${token}`,
        '',
        'The link works once, for 30 minutes. If you did not ask for it, ignore this message:',
        'your password stays as it is.',
      ].join('\n'),
    });
  } catch {
    // Answering otherwise would tell that the account exists; the link just never arrives.
    return 'mail-failed';
  }
  return 'mailed';
}
