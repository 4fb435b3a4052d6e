import * as z from 'zod/mini';
import { listOf, timestamp } from '#core/contract/schemas/common';

/** What identity and access routes answer. */

export const User = z
  .object({
    id: z.string(),
    username: z.string(),
    fullName: z.string(),
    email: z.nullable(z.string()),
    roleId: z.string(),
    branchIds: z.nullable(z.array(z.string())),
    active: z.boolean(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .check(z.meta({ id: 'User' }));
export type User = z.output<typeof User>;

export const UserPage = listOf(User);

export const Role = z
  .object({
    id: z.string(),
    name: z.string(),
    permissions: z.array(z.string()),
    builtIn: z.boolean(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .check(z.meta({ id: 'Role' }));
export type Role = z.output<typeof Role>;

export const RolePage = listOf(Role);

const PermissionInfo = z
  .object({ id: z.string(), module: z.string(), action: z.string(), description: z.string() })
  .check(z.meta({ id: 'Permission' }));

export const PermissionCatalog = z.object({ items: z.array(PermissionInfo) });

export const Session = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.int().check(z.meta({ description: 'Seconds until the access token expires' })),
    user: User,
  })
  .check(z.meta({ id: 'Session' }));
export type Session = z.output<typeof Session>;

const Tenant = z
  .object({ id: z.string(), slug: z.string(), name: z.string() })
  .check(z.meta({ id: 'Tenant' }));

export const SignedUp = z.object({ tenant: Tenant, user: User });

export const EmailVerified = z.object({ verified: z.literal(true) });

export const ResetRequested = z.object({ accepted: z.literal(true) });
