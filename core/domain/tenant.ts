/**
 * Tenants (docs/rules.md#organisations): an organisation, created by signup and usable once its
 * e-mail is verified.
 */
export interface Tenant {
  id: string;
  slug: string;
  name: string;
}

/** Unverified signups (tenant, admin, slug claim, verification token) vanish after 48 h. */
export const SIGNUP_TTL_SECONDS = 48 * 3600;

export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
