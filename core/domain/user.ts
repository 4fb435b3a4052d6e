/** Users of a tenant (docs/rules.md#users). Pure shapes and rules, no I/O. */

/** The user as the API shows it: never the password hash or session bookkeeping. */
export interface User {
  id: string;
  username: string;
  fullName: string;
  email: string | null;
  roleId: string;
  /** null = every branch. */
  branchIds: string[] | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserRecord extends User {
  tenantId: string;
  passwordHash: string;
  /**
   * Bumped whenever the user's sessions must end (deactivation, deletion, password change).
   * A refresh-token family records the epoch it was created in and dies when they differ.
   */
  sessionEpoch: number;
  /** Optimistic-concurrency counter for read-modify-write updates; access tokens carry it (`uv`). */
  version: number;
  deletedAt: string | null;
}

export const normalizeUsername = (username: string) => username.toLowerCase();

export function publicUser(record: UserRecord): User {
  const { id, username, fullName, email, roleId, branchIds, active, createdAt, updatedAt } = record;
  return { id, username, fullName, email, roleId, branchIds, active, createdAt, updatedAt };
}

export interface UserPatch {
  fullName?: string;
  email?: string | null;
  roleId?: string;
  branchIds?: string[] | null;
  active?: boolean;
  /** Already hashed. */
  passwordHash?: string;
}

/** The user after a PATCH. Deactivating or changing the password ends every session. */
export function applyUserPatch(current: UserRecord, patch: UserPatch, now: Date): UserRecord {
  const endsSessions = (patch.active === false && current.active) || patch.passwordHash !== undefined;
  return {
    ...current,
    fullName: patch.fullName ?? current.fullName,
    email: patch.email === undefined ? current.email : patch.email,
    roleId: patch.roleId ?? current.roleId,
    branchIds: patch.branchIds === undefined ? current.branchIds : dedupe(patch.branchIds),
    active: patch.active ?? current.active,
    passwordHash: patch.passwordHash ?? current.passwordHash,
    sessionEpoch: current.sessionEpoch + (endsSessions ? 1 : 0),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
}

export const dedupe = <T>(values: T[] | null): T[] | null => (values ? [...new Set(values)] : null);
