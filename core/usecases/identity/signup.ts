import type { Mailer } from '#core/ports/mailer';
import type { TenantStore } from '#core/ports/tenants';
import { provisionTenant, type TenantSignup } from './provision-tenant';

export interface SignupDeps {
  tenants: TenantStore;
  mailer: Mailer;
  /** Page that takes the verification token as its `token` query parameter. */
  verifyUrl: string;
}

/** A new, unverified tenant; its admin gets a link to verify the e-mail address within 48 h. */
export async function signup(deps: SignupDeps, input: TenantSignup, now: Date) {
  const { tenant, user, verificationToken } = await provisionTenant(deps, input, { verified: false }, now);
  const link = new URL(deps.verifyUrl);
  link.searchParams.set('token', verificationToken!);
  try {
    await deps.mailer.send({
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
    await deps.tenants.releaseSlug(tenant.slug, tenant.id);
    throw error;
  }
  return { tenant, user };
}
