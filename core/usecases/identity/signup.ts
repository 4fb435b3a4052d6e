import { ServiceUnavailableError } from '#core/domain/errors';
import { hashOpaqueToken } from '#core/domain/opaque-token';
import type { SignupContext } from './context';
import { provisionTenant, type TenantSignup } from './provision-tenant';

/**
 * Retry-After of a signup whose verification mail could not be sent: long enough for a sending
 * rate to recover, short enough for someone waiting at the form.
 */
export const MAIL_RETRY_AFTER_SECONDS = 30;

/** A new, unverified tenant; its admin gets a link to verify the e-mail address within 48 h. */
export async function signup(ctx: SignupContext, input: TenantSignup) {
  const { tenant, user, verificationToken } = await provisionTenant(ctx, { ...input, verified: false });
  const link = new URL(ctx.verifyUrl);
  link.searchParams.set('token', verificationToken!);
  try {
    await ctx.mailer.send({
      to: input.admin.email,
      subject: 'Verify your Queueline account',
      text: [
        `Hello ${user.fullName},`,
        '',
        `Please confirm your e-mail address to activate ${tenant.name} on Queueline:`,
        link.toString(),
        '',
        'The link is valid for 48 hours. If you did not sign up, ignore this message.',
      ].join('\n'),
    });
  } catch {
    // Without the mail nobody could verify: undo the signup, so that the same one works again.
    // (An undo that fails answers as the database's failure does; the slug then stays held
    // until the signup expires, 48 h.)
    await ctx.tenants.discardSignup({
      tenant,
      admin: user,
      verificationTokenHash: hashOpaqueToken(verificationToken!),
    });
    throw new ServiceUnavailableError(
      'The verification mail could not be sent, retry shortly',
      MAIL_RETRY_AFTER_SECONDS,
    );
  }
  return { tenant, user };
}
