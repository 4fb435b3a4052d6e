import { randomBytes, scryptSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { vi } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { branchKey } from '#core/adapters/dynamo/items/branch';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { builtInRole } from '#core/domain/permissions';
import { publicUser, type UserRecord } from '#core/domain/user';
import { provisionTenant } from '#core/usecases/identity/provision-tenant';
import { tenantContext } from '#functions/commons/context';
import { call } from '#tests/support/api';
import type { TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/** Shared set-up of the identity test files. */

export const PASSWORD = 'correct horse battery';

export const uniqueSlug = () => `t-${ulid().toLowerCase()}`;

let clients = 0;
/**
 * A client address not used before in this test file (198.18.0.0/15, the benchmarking range):
 * per-IP budgets such as signup's 5 a minute stay out of the way of tests about something else.
 */
export const freshIp = () => {
  clients++;
  return `198.${18 + (clients >> 16)}.${(clients >> 8) & 255}.${clients & 255}`;
};

/** A verified tenant with its admin (username `Admin.User`) and an admin token, without HTTP. */
export async function verifiedTenant(env: TestEnv, slug = uniqueSlug()) {
  const { tenant, user } = await provisionTenant(tenantContext({ now: new Date() }), {
    organization: { name: 'Test Org', slug },
    admin: {
      username: 'Admin.User',
      email: 'admin@example.com',
      password: PASSWORD,
      fullName: 'Ada Admin',
    },
    verified: true,
  });
  const token = await mintToken(env.signingKey, { tenantId: tenant.id, userId: user.id, role: 'admin' });
  return { tenant, admin: user, token };
}

export const login = (tenant: string, username: string, password: string) =>
  call('POST', '/v1/auth/login', { body: { tenant, username, password } });

let usernames = 0;
/** A username not used before in this test file. */
export const uniqueUsername = (prefix = 'user') => `${prefix}${++usernames}.${Date.now().toString(36)}`;

/**
 * `POST /v1/users` as `token`: a fresh username, PASSWORD, the agent role and every branch unless
 * `fields` say otherwise.
 */
export const postUser = (token: string, fields: Record<string, unknown> = {}) =>
  call('POST', '/v1/users', {
    token,
    body: {
      username: uniqueUsername(),
      password: PASSWORD,
      fullName: 'Test User',
      roleId: 'agent',
      ...fields,
    },
  });

/**
 * A user written straight to the store, with a cheap scrypt hash of PASSWORD (N = 2^10, which
 * the stored form records and login honours): setup for tests about something else than user
 * creation, without paying for the production hash every time.
 */
const salt = randomBytes(16);
const CHEAP_HASH = [
  'scrypt',
  10,
  8,
  1,
  salt.toString('base64url'),
  scryptSync(PASSWORD.normalize('NFC'), salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64url'),
].join('$');

export async function storedUser(tenantId: string, fields: Partial<UserRecord> = {}) {
  const at = new Date().toISOString();
  const record: UserRecord = {
    id: ulid(),
    tenantId,
    username: `u.${ulid().toLowerCase()}`,
    fullName: 'Fix Ture',
    email: null,
    roleId: 'agent',
    branchIds: null,
    active: true,
    passwordHash: CHEAP_HASH,
    sessionEpoch: 0,
    version: 0,
    deletedAt: null,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
  const custom = builtInRole(record.roleId) ? undefined : record.roleId;
  const outcome = await dynamoUserStore.create(record, custom);
  if (outcome !== 'created') throw new Error(`storedUser: ${outcome}`);
  return publicUser(record);
}

/** A live branch item in the tenant's table space, for branchIds references. */
export async function putBranch(tenantId: string, deleted = false): Promise<string> {
  const id = ulid();
  const at = new Date().toISOString();
  await dynamo().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...branchKey(tenantId, id),
        type: 'branch',
        id,
        name: 'Branch',
        timezone: 'UTC',
        resetHour: 3,
        agingMinutes: 15,
        createdAt: at,
        updatedAt: at,
        ...(deleted && { deletedAt: at }),
      },
    }),
  );
  return id;
}

/** The mails written to the outbox for `to`, oldest first. */
export function mailsTo(env: TestEnv, to: string): { to: string; subject: string; text: string }[] {
  return readdirSync(env.outboxDir)
    .sort()
    .map((file) => JSON.parse(readFileSync(join(env.outboxDir, file), 'utf8')))
    .filter((mail) => mail.to === to);
}

/**
 * Until `vi.unstubAllEnvs()`, every mail fails as a refused send would: the outbox the handlers
 * write to is a file, not a directory.
 */
export function failMails(env: TestEnv): void {
  const file = `${env.outboxDir}.not-a-directory`;
  writeFileSync(file, '');
  vi.stubEnv('OUTBOX_DIR', file);
}
