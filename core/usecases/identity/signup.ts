import type { SignupContext } from './context';
import { provisionTenant, type TenantSignup } from './provision-tenant';

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
  } catch (error) {
    // Without the mail nobody could verify: free the slug so that signing up again works.
    await ctx.tenants.releaseSlug(tenant.slug, tenant.id);
    throw error;
  }
  return { tenant, user };
}
