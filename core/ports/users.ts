import type { UserRecord } from '#core/domain/user';
import type { Page, PageRequest } from './page';

export interface UserStore {
  /** A non-deleted user of the tenant. */
  get(tenantId: string, userId: string): Promise<UserRecord | undefined>;
  findByUsername(tenantId: string, usernameLower: string): Promise<UserRecord | undefined>;
  /** Non-deleted users in creation order. */
  list(tenantId: string, page: PageRequest): Promise<Page<UserRecord>>;
  /** `customRoleId`: the custom role the user gets, which must still exist when the write lands. */
  create(user: UserRecord, customRoleId?: string): Promise<'created' | 'username-taken' | 'role-missing'>;
  /** Writes `user` if the stored one is still at `expectedVersion` and not deleted. */
  update(
    user: UserRecord,
    expectedVersion: number,
    customRoleId?: string,
  ): Promise<'updated' | 'stale' | 'role-missing'>;
  /**
   * Soft delete: ends its sessions, drops its role reference and frees its username. Only if
   * the stored user is still at `user.version`: 'gone' when it was deleted or changed since.
   */
  softDelete(user: UserRecord, now: Date): Promise<'deleted' | 'gone'>;
  /** The ids among `branchIds` that are not live branches of the tenant. */
  unknownBranches(tenantId: string, branchIds: readonly string[]): Promise<string[]>;
}
