import * as z from 'zod/mini';
import { atLeastOneField, text, ulid } from '#core/contract/schemas/common';
import {
  BUILT_IN_ROLES,
  type BuiltInRoleId,
  PERMISSION_IDS,
  type Permission,
} from '#core/domain/permissions';

/** What identity and access routes take. */

const slug = () =>
  z.string().check(
    z.regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/),
    z.meta({
      description: 'Lower-case letters, digits and hyphens, 3-40 characters',
      example: 'city-clinic',
    }),
  );
const username = () =>
  z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9._@-]{3,64}$/),
      z.meta({ description: '3-64 characters of A-Za-z0-9._@- (case-insensitive)', example: 'maria.lopez' }),
    );
// Passwords are taken as typed: never trimmed.
const password = () => z.string().check(z.minLength(10), z.maxLength(128), z.meta({ format: 'password' }));
const email = () => z.email().check(z.maxLength(254));
const fullName = () => text(120);
const branchIds = () =>
  z.nullable(
    z
      .array(ulid('Branch id'))
      .check(z.maxLength(100), z.meta({ description: 'Branches the user may work in; null = every branch' })),
  );
const builtInRoleIds = BUILT_IN_ROLES.map((r) => r.id) as [BuiltInRoleId, ...BuiltInRoleId[]];
const roleId = () => z.union([z.enum(builtInRoleIds), ulid('Custom role id')]);
const permissions = () =>
  z
    .array(z.enum(PERMISSION_IDS as [Permission, ...Permission[]]))
    .check(z.maxLength(PERMISSION_IDS.length * 2));
const opaqueToken = () => z.string().check(z.minLength(1), z.maxLength(512));

export const signupBody = () =>
  z.strictObject({
    organization: z.strictObject({ name: text(120), slug: slug() }),
    admin: z.strictObject({
      username: username(),
      email: email(),
      password: password(),
      fullName: fullName(),
    }),
  });

export const verifyEmailBody = () => z.strictObject({ token: opaqueToken() });

// Bounded but not shaped: a malformed username is just a wrong one (401, not 400).
export const loginBody = () =>
  z.strictObject({
    tenant: z.string().check(z.minLength(1), z.maxLength(64)),
    username: z.string().check(z.minLength(1), z.maxLength(128)),
    password: z.string().check(z.minLength(1), z.maxLength(256)),
  });

export const refreshTokenBody = () => z.strictObject({ refreshToken: opaqueToken() });

// As login takes them: bounded, not shaped (a malformed account is one that does not exist: 202).
export const forgotPasswordBody = () =>
  z.strictObject({
    tenant: z.string().check(z.minLength(1), z.maxLength(64)),
    username: z.string().check(z.minLength(1), z.maxLength(128)),
  });

export const resetPasswordBody = () => z.strictObject({ token: opaqueToken(), password: password() });

export const roleParams = () => z.strictObject({ roleId: roleId() });

export const createRoleBody = () => z.strictObject({ name: text(100), permissions: permissions() });

export const updateRoleBody = () =>
  atLeastOneField(z.strictObject({ name: z.optional(text(100)), permissions: z.optional(permissions()) }));

export const userParams = () => z.strictObject({ userId: ulid('User id') });

export const createUserBody = () =>
  z.strictObject({
    username: username(),
    password: password(),
    fullName: fullName(),
    email: z.optional(email()),
    roleId: roleId(),
    branchIds: z.optional(branchIds()),
  });

export const updateUserBody = () =>
  atLeastOneField(
    z.strictObject({
      fullName: z.optional(fullName()),
      email: z.optional(z.nullable(email())),
      roleId: z.optional(roleId()),
      branchIds: z.optional(branchIds()),
      active: z.optional(z.boolean()),
      password: z.optional(password()),
    }),
  );
