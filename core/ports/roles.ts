import type { Role } from '../domain/permissions';

/** Custom roles only: built-in roles are code (core/domain/permissions.ts). */
export interface RoleStore {
  get(tenantId: string, roleId: string): Promise<Role | undefined>;
  list(tenantId: string): Promise<Role[]>;
  create(tenantId: string, role: Role): Promise<void>;
  /** undefined when the role does not exist. */
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
