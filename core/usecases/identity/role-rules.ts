import { ConflictError } from '../../domain/errors';
import { builtInRole, PERMISSION_IDS, type Permission } from '../../domain/permissions';

/** Permissions without repeats, in catalog order. */
export function catalogOrder(permissions: readonly Permission[]): Permission[] {
  const wanted = new Set(permissions);
  return PERMISSION_IDS.filter((p) => wanted.has(p));
}

export function assertNotBuiltIn(roleId: string): void {
  if (builtInRole(roleId)) {
    throw new ConflictError('built-in-role', 'Built-in roles cannot be changed or deleted');
  }
}
