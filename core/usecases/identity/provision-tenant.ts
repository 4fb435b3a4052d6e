import { ulid } from 'ulid';
import { ConflictError } from '#core/domain/errors';
import { hashOpaqueToken, newOpaqueToken } from '#core/domain/opaque-token';
import { hashPassword } from '#core/domain/password';
import { SIGNUP_TTL_SECONDS, type Tenant } from '#core/domain/tenant';
import { publicUser, type User, type UserRecord } from '#core/domain/user';
import type { SignupContext } from './context';

export interface TenantSignup {
  organization: { name: string; slug: string };
  admin: { username: string; email: string; password: string; fullName: string };
}

export interface NewTenantInput extends TenantSignup {
  /** Signup leaves the tenant unverified (and expiring); the demo seed creates it verified. */
  verified: boolean;
}

export interface ProvisionedTenant {
  tenant: Tenant;
  user: User;
  /** Only for unverified tenants: the secret the verification mail carries. */
  verificationToken?: string;
}

/**
 * Creates a tenant with its first user (role admin, every branch). Signup leaves it unverified
 * and expiring; the demo seed creates it verified.
 */
export async function provisionTenant(
  ctx: Pick<SignupContext, 'now' | 'tenants'>,
  input: NewTenantInput,
): Promise<ProvisionedTenant> {
  const { now } = ctx;
  const tenant: Tenant = { id: ulid(), slug: input.organization.slug, name: input.organization.name };
  const at = now.toISOString();
  const admin: UserRecord = {
    id: ulid(),
    tenantId: tenant.id,
    username: input.admin.username,
    fullName: input.admin.fullName,
    email: input.admin.email,
    roleId: 'admin',
    branchIds: null,
    active: true,
    passwordHash: await hashPassword(input.admin.password),
    sessionEpoch: 0,
    version: 0,
    deletedAt: null,
    createdAt: at,
    updatedAt: at,
  };
  const verificationToken = input.verified ? undefined : newOpaqueToken();
  const outcome = await ctx.tenants.create({
    tenant,
    admin,
    unverified: verificationToken
      ? {
          verificationTokenHash: hashOpaqueToken(verificationToken),
          expiresAt: new Date(now.getTime() + SIGNUP_TTL_SECONDS * 1000),
        }
      : undefined,
    now,
  });
  if (outcome === 'slug-taken')
    throw new ConflictError('slug-taken', 'This organization slug is already taken');
  return { tenant, user: publicUser(admin), verificationToken };
}
