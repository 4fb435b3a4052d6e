import type { UserRecord } from '#core/domain/user';
import { tenantPartition } from './tenant';

export const USER_PREFIX = 'USER#';

export const userSortKey = (userId: string) => `${USER_PREFIX}${userId}`;

export const userKey = (tenantId: string, userId: string) => ({
  pk: tenantPartition(tenantId),
  sk: userSortKey(userId),
});

/** Keeps usernames unique per tenant, case-insensitively; removed when the user is deleted. */
export const USERNAME_PREFIX = 'USERNAME#';
export const usernameClaimKey = (tenantId: string, usernameLower: string) => ({
  pk: tenantPartition(tenantId),
  sk: `${USERNAME_PREFIX}${usernameLower}`,
});

/** `refs` index entry: the active users of a role (a role in use cannot be deleted). */
export const roleRef = (tenantId: string, roleId: string) => `T#${tenantId}#ROLE#${roleId}`;

/** The user's `refs` entry, present only while it is active and not deleted. */
export function roleRefOf(user: UserRecord): { refPk: string; refSk: string } | undefined {
  if (!user.active || user.deletedAt) return undefined;
  return { refPk: roleRef(user.tenantId, user.roleId), refSk: userSortKey(user.id) };
}

export interface UserItem extends Omit<UserRecord, 'deletedAt'> {
  pk: string;
  sk: string;
  type: 'user';
  usernameLower: string;
  deletedAt?: string;
  refPk?: string;
  refSk?: string;
  ttl?: number;
}

export function userToItem(user: UserRecord, ttl?: number): UserItem {
  const { deletedAt, ...rest } = user;
  return {
    ...userKey(user.tenantId, user.id),
    type: 'user',
    ...rest,
    usernameLower: user.username.toLowerCase(),
    ...(deletedAt && { deletedAt }),
    ...roleRefOf(user),
    ttl,
  };
}

export function userFromItem(item: Record<string, unknown>): UserRecord {
  const i = item as unknown as UserItem;
  return {
    id: i.id,
    tenantId: i.tenantId,
    username: i.username,
    fullName: i.fullName,
    email: i.email ?? null,
    roleId: i.roleId,
    branchIds: i.branchIds ?? null,
    active: i.active,
    passwordHash: i.passwordHash,
    sessionEpoch: i.sessionEpoch ?? 0,
    version: i.version ?? 0,
    deletedAt: i.deletedAt ?? null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}
