import type { Role } from '#core/domain/permissions';
import type { RoleGrants } from '#core/domain/session';
import type { Page, PageRequest } from './page';

/** Custom roles only: built-in roles are code (core/domain/permissions.ts). */
export interface RoleStore {
  get(tenantId: string, roleId: string): Promise<Role | undefined>;
  /** The role's permissions with the version they belong to, for an access token. */
  grants(tenantId: string, roleId: string): Promise<RoleGrants | undefined>;
  list(tenantId: string): Promise<Role[]>;
  /**
   * Pages roles read in full (built-in ones included) in the order they are listed in: built-in
   * roles first, then custom roles in creation order (their ULIDs). Its cursors fit no other list.
   */
  pageOf(tenantId: string, roles: readonly Role[], page: PageRequest): Page<Role>;
  create(tenantId: string, role: Role): Promise<void>;
  /**
   * undefined when the role does not exist. A change of permissions also ends the access
   * tokens issued with the old ones (core/domain/revocation.ts), in the same write.
   */
  update(
    tenantId: string,
    roleId: string,
    patch: Pick<Role, 'updatedAt'> & Partial<Pick<Role, 'name' | 'permissions'>>,
  ): Promise<Role | undefined>;
  /** false when the role did not exist. */
  delete(tenantId: string, roleId: string): Promise<boolean>;
  /** Whether an active, non-deleted user has the role. */
  inUse(tenantId: string, roleId: string): Promise<boolean>;
}
