import type { Permission, Role } from '#core/domain/permissions';
import { tenantPartition } from './tenant';

export const ROLE_PREFIX = 'ROLE#';

export const roleKey = (tenantId: string, roleId: string) => ({
  pk: tenantPartition(tenantId),
  sk: `${ROLE_PREFIX}${roleId}`,
});

export interface RoleItem {
  pk: string;
  sk: string;
  type: 'role';
  id: string;
  name: string;
  permissions: Permission[];
  createdAt: string;
  updatedAt: string;
  /** Bumped by every update (absent = 0); access tokens carry it (`rv`) to be revocable. */
  version?: number;
}

export function roleToItem(tenantId: string, role: Role): RoleItem {
  const { id, name, permissions, createdAt, updatedAt } = role;
  return { ...roleKey(tenantId, id), type: 'role', id, name, permissions, createdAt, updatedAt };
}

export function roleFromItem(item: Record<string, unknown>): Role {
  const i = item as unknown as RoleItem;
  return {
    id: i.id,
    name: i.name,
    permissions: i.permissions ?? [],
    builtIn: false,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

export const roleVersionOf = (item: Record<string, unknown>) => (item as unknown as RoleItem).version ?? 0;
