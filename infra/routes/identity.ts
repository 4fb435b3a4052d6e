import * as z from 'zod/mini';
import {
  BUILT_IN_ROLES,
  type BuiltInRoleId,
  PERMISSION_IDS,
  type Permission,
} from '#core/domain/permissions';
import {
  atLeastOneField,
  lazy,
  listOf,
  PageQuery,
  Problem,
  text,
  timestamp,
  ulid,
} from '#core/schemas/common';
import { type ResponseDef, route } from './define';

/**
 * Identity and access routes (docs/rules.md#identity-and-access). Schemas are functions, built on
 * first use: see define.ts.
 */

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

export const User = /* @__PURE__ */ lazy(() =>
  z
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
    .check(z.meta({ id: 'User' })),
);

export const Role = /* @__PURE__ */ lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      permissions: z.array(z.string()),
      builtIn: z.boolean(),
      createdAt: timestamp(),
      updatedAt: timestamp(),
    })
    .check(z.meta({ id: 'Role' })),
);

const PermissionInfo = /* @__PURE__ */ lazy(() =>
  z
    .object({ id: z.string(), module: z.string(), action: z.string(), description: z.string() })
    .check(z.meta({ id: 'Permission' })),
);

const Session = /* @__PURE__ */ lazy(() =>
  z
    .object({
      accessToken: z.string(),
      refreshToken: z.string(),
      tokenType: z.literal('Bearer'),
      expiresIn: z.int().check(z.meta({ description: 'Seconds until the access token expires' })),
      user: User(),
    })
    .check(z.meta({ id: 'Session' })),
);

const Tenant = /* @__PURE__ */ lazy(() =>
  z.object({ id: z.string(), slug: z.string(), name: z.string() }).check(z.meta({ id: 'Tenant' })),
);

const UserParams = /* @__PURE__ */ lazy(() => z.strictObject({ userId: ulid('User id') }));
const RoleParams = /* @__PURE__ */ lazy(() => z.strictObject({ roleId: roleId() }));

/** Documented answers, built with the responses (only by the OpenAPI generator). */
const problem = (description: string, headers?: Record<string, string>): ResponseDef => ({
  description,
  schema: Problem(),
  contentType: 'application/problem+json',
  headers,
});
const invalid = () => problem('Invalid request');
const unauthenticated = () => problem('Missing, invalid or expired access token');
const forbidden = () => problem('The access token lacks the permission');
const notFound = (what: string) => problem(`${what} not found (or of another tenant)`);

const authenticatedReads = () => ({ 400: invalid(), 401: unauthenticated(), 403: forbidden() });
const tooMany = (description: string) =>
  problem(description, { 'Retry-After': 'Seconds until requests are allowed again' });

/** Per client address, and for every client together (this sends mail and creates tenants). */
const SIGNUP_RATE_LIMITS = [
  { per: 'ip', limit: 5, windowSeconds: 60 },
  { per: 'global', limit: 100, windowSeconds: 3600 },
] as const;

/**
 * Per client address; the per-account budgets need the body and are counted by the use cases
 * (core/domain/password-reset.ts).
 */
const FORGOT_PASSWORD_RATE_LIMITS = [{ per: 'ip', limit: 5, windowSeconds: 60 }] as const;
const RESET_PASSWORD_RATE_LIMITS = [{ per: 'ip', limit: 10, windowSeconds: 60 }] as const;

const escalation = () =>
  problem(
    'The access token lacks the permission, or the change would grant or touch more than the caller ' +
      'holds (type …/problems/escalation)',
  );
/** User and role writes: 403 also when the change would hand out more than the caller holds. */
const authenticatedWrites = () => ({ ...authenticatedReads(), 403: escalation() });

export const signup = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/signup',
  function: 'signup',
  summary: 'Create an organization and its admin; a verification mail goes to the admin',
  tag: 'Identity',
  auth: 'none',
  rateLimits: SIGNUP_RATE_LIMITS,
  body: () =>
    z.strictObject({
      organization: z.strictObject({ name: text(120), slug: slug() }),
      admin: z.strictObject({
        username: username(),
        email: email(),
        password: password(),
        fullName: fullName(),
      }),
    }),
  responses: () => ({
    201: {
      description: 'Created, pending e-mail verification (48 h)',
      schema: z.object({ tenant: Tenant(), user: User() }),
    },
    400: invalid(),
    409: problem('The slug is taken'),
    429: tooMany('Too many signups from this address, or from everyone this hour'),
  }),
});

export const verifyEmail = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/auth/verify-email',
  function: 'verify-email',
  summary: 'Verify the admin e-mail address of a signup',
  tag: 'Identity',
  auth: 'none',
  body: () => z.strictObject({ token: opaqueToken() }),
  responses: () => ({
    200: { description: 'Verified', schema: z.object({ verified: z.literal(true) }) },
    400: problem('Invalid, expired or used token'),
  }),
});

export const login = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/auth/login',
  function: 'login',
  summary: 'Log in with tenant slug, username and password',
  tag: 'Identity',
  auth: 'none',
  // Bounded but not shaped: a malformed username is just a wrong one (401, not 400).
  body: () =>
    z.strictObject({
      tenant: z.string().check(z.minLength(1), z.maxLength(64)),
      username: z.string().check(z.minLength(1), z.maxLength(128)),
      password: z.string().check(z.minLength(1), z.maxLength(256)),
    }),
  responses: () => ({
    200: { description: 'Logged in', schema: Session() },
    400: invalid(),
    401: problem('Wrong tenant, username or password, or an inactive user'),
    403: problem('The e-mail address of the signup is not verified yet'),
    429: problem('Too many failed attempts', { 'Retry-After': 'Seconds until attempts are allowed again' }),
  }),
});

export const refresh = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/auth/refresh',
  function: 'refresh',
  summary: 'Exchange a refresh token for new tokens (single use)',
  tag: 'Identity',
  auth: 'none',
  body: () => z.strictObject({ refreshToken: opaqueToken() }),
  responses: () => ({
    200: { description: 'New tokens', schema: Session() },
    400: invalid(),
    401: problem('Invalid, expired, revoked or reused refresh token'),
  }),
});

export const logout = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/auth/logout',
  function: 'logout',
  summary: 'End the login a refresh token belongs to',
  tag: 'Identity',
  auth: 'none',
  body: () => z.strictObject({ refreshToken: opaqueToken() }),
  responses: () => ({ 204: { description: 'Logged out' }, 400: invalid() }),
});

export const forgotPassword = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/auth/forgot-password',
  function: 'forgot-password',
  summary: 'Ask for a password reset link by mail (the same answer whether the account exists or not)',
  tag: 'Identity',
  auth: 'none',
  rateLimits: FORGOT_PASSWORD_RATE_LIMITS,
  // As login takes them: bounded, not shaped (a malformed account is one that does not exist: 202).
  body: () =>
    z.strictObject({
      tenant: z.string().check(z.minLength(1), z.maxLength(64)),
      username: z.string().check(z.minLength(1), z.maxLength(128)),
    }),
  responses: () => ({
    202: {
      description:
        'Accepted. A known, active user with an e-mail address gets a link valid once, for 30 minutes',
      schema: z.object({ accepted: z.literal(true) }),
    },
    400: invalid(),
    429: tooMany('Too many requests from this address, or for this account'),
  }),
});

export const resetPassword = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/auth/reset-password',
  function: 'reset-password',
  summary: 'Set a new password with the token of a reset link; every session of the user ends',
  tag: 'Identity',
  auth: 'none',
  rateLimits: RESET_PASSWORD_RATE_LIMITS,
  body: () => z.strictObject({ token: opaqueToken(), password: password() }),
  responses: () => ({
    204: { description: 'The password is changed' },
    400: problem('Invalid password, or an invalid, expired or used token'),
    429: tooMany('Too many requests from this address, or for this account'),
  }),
});

export const me = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/me',
  function: 'me',
  summary: 'The current user',
  tag: 'Identity',
  auth: 'bearer',
  responses: () => ({
    200: { description: 'The user', schema: User() },
    401: unauthenticated(),
    404: notFound('User'),
  }),
});

export const listPermissions = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/permissions',
  function: 'list-permissions',
  summary: 'The permission catalog',
  tag: 'Roles',
  auth: 'bearer',
  responses: () => ({
    200: { description: 'Every permission', schema: z.object({ items: z.array(PermissionInfo()) }) },
    401: unauthenticated(),
  }),
});

export const createRole = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/roles',
  function: 'create-role',
  summary: 'Create a custom role',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:create',
  body: () => z.strictObject({ name: text(100), permissions: permissions() }),
  responses: () => ({ 201: { description: 'Created', schema: Role() }, ...authenticatedWrites() }),
});

export const listRoles = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/roles',
  function: 'list-roles',
  summary: 'Built-in and custom roles',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:read',
  query: PageQuery,
  paginated: true,
  responses: () => ({
    200: { description: 'A page of roles', schema: listOf(Role()) },
    ...authenticatedReads(),
  }),
});

export const getRole = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/roles/{roleId}',
  function: 'get-role',
  summary: 'One role',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:read',
  params: RoleParams,
  responses: () => ({
    200: { description: 'The role', schema: Role() },
    ...authenticatedReads(),
    404: notFound('Role'),
  }),
});

export const updateRole = /* @__PURE__ */ route({
  method: 'PATCH',
  path: '/v1/roles/{roleId}',
  function: 'update-role',
  summary: 'Rename a custom role or change its permissions',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:update',
  params: RoleParams,
  body: () =>
    atLeastOneField(z.strictObject({ name: z.optional(text(100)), permissions: z.optional(permissions()) })),
  responses: () => ({
    200: { description: 'Updated', schema: Role() },
    ...authenticatedWrites(),
    404: notFound('Role'),
    409: problem('Built-in roles cannot change'),
  }),
});

export const deleteRole = /* @__PURE__ */ route({
  method: 'DELETE',
  path: '/v1/roles/{roleId}',
  function: 'delete-role',
  summary: 'Delete a custom role no active user has',
  tag: 'Roles',
  auth: 'bearer',
  permission: 'roles:delete',
  params: RoleParams,
  responses: () => ({
    204: { description: 'Deleted' },
    ...authenticatedWrites(),
    404: notFound('Role'),
    409: problem('Built-in role, or active users have it'),
  }),
});

export const createUser = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/users',
  function: 'create-user',
  summary: 'Create a user',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:create',
  body: () =>
    z.strictObject({
      username: username(),
      password: password(),
      fullName: fullName(),
      email: z.optional(email()),
      roleId: roleId(),
      branchIds: z.optional(branchIds()),
    }),
  responses: () => ({
    201: { description: 'Created', schema: User() },
    ...authenticatedWrites(),
    409: problem('The username is taken'),
  }),
});

export const listUsers = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/users',
  function: 'list-users',
  summary: 'Users of the tenant (deleted ones are not listed)',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:read',
  query: PageQuery,
  paginated: true,
  responses: () => ({
    200: { description: 'A page of users', schema: listOf(User()) },
    ...authenticatedReads(),
  }),
});

export const getUser = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/users/{userId}',
  function: 'get-user',
  summary: 'One user',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:read',
  params: UserParams,
  responses: () => ({
    200: { description: 'The user', schema: User() },
    ...authenticatedReads(),
    404: notFound('User'),
  }),
});

export const updateUser = /* @__PURE__ */ route({
  method: 'PATCH',
  path: '/v1/users/{userId}',
  function: 'update-user',
  summary: 'Change a user; deactivating it or changing its password ends its sessions',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:update',
  params: UserParams,
  body: () =>
    atLeastOneField(
      z.strictObject({
        fullName: z.optional(fullName()),
        email: z.optional(z.nullable(email())),
        roleId: z.optional(roleId()),
        branchIds: z.optional(branchIds()),
        active: z.optional(z.boolean()),
        password: z.optional(password()),
      }),
    ),
  responses: () => ({
    200: { description: 'Updated', schema: User() },
    ...authenticatedWrites(),
    404: notFound('User'),
    409: problem('You cannot deactivate yourself'),
  }),
});

export const deleteUser = /* @__PURE__ */ route({
  method: 'DELETE',
  path: '/v1/users/{userId}',
  function: 'delete-user',
  summary: 'Delete a user (soft): it ends its sessions and frees its username',
  tag: 'Users',
  auth: 'bearer',
  permission: 'users:delete',
  params: UserParams,
  responses: () => ({
    204: { description: 'Deleted' },
    ...authenticatedWrites(),
    404: notFound('User'),
    409: problem('You cannot delete yourself'),
  }),
});

/** The area's entries, for the table (index.ts); a function imports its own entry alone. */
export const identityRoutes = {
  signup,
  verifyEmail,
  login,
  refresh,
  logout,
  forgotPassword,
  resetPassword,
  me,
  listPermissions,
  createRole,
  listRoles,
  getRole,
  updateRole,
  deleteRole,
  createUser,
  listUsers,
  getUser,
  updateUser,
  deleteUser,
};
