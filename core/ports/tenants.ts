import type { Tenant } from '#core/domain/tenant';
import type { UserRecord } from '#core/domain/user';

export interface NewTenant {
  tenant: Tenant;
  admin: UserRecord;
  /** Set for signups awaiting e-mail verification: every item of the signup expires then. */
  unverified?: { verificationTokenHash: string; expiresAt: Date };
  now: Date;
}

export interface UnfinishedSignup {
  tenant: Tenant;
  admin: { id: string; username: string };
  verificationTokenHash: string;
}

export interface SlugLookup {
  tenantId: string;
  verified: boolean;
}

export interface TenantStore {
  /** Writes the tenant, its slug claim and its admin at once; a slug in use → 'slug-taken'. */
  create(tenant: NewTenant): Promise<'created' | 'slug-taken'>;
  /**
   * Undoes a signup that could not be completed (its verification mail failed), so that the
   * same signup can be retried: the slug claim, the tenant, its admin and the admin's username
   * claim and the verification token go at once — unless the slug is no longer this signup's.
   */
  discardSignup(signup: UnfinishedSignup): Promise<void>;
  /** The live claim of a slug; an unverified one past its expiry counts as absent. */
  findBySlug(slug: string, now: Date): Promise<SlugLookup | undefined>;
  /** Consumes a verification token and marks the signup verified; false when bad, used or expired. */
  verify(verificationTokenHash: string, now: Date): Promise<boolean>;
}
