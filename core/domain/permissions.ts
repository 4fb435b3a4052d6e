/**
 * The permission catalog and the built-in roles (docs/rules.md#permissions-and-built-in-roles).
 * Pure data and rules, no I/O.
 */

const CRUD = ['create', 'read', 'update', 'delete'] as const;

const CATALOG = [
  ...CRUD.map((a) => ({ module: 'users', action: a, description: `${verb(a)} users` })),
  ...CRUD.map((a) => ({ module: 'roles', action: a, description: `${verb(a)} roles` })),
  ...CRUD.map((a) => ({ module: 'priorities', action: a, description: `${verb(a)} priorities` })),
  ...CRUD.map((a) => ({ module: 'branches', action: a, description: `${verb(a)} branches` })),
  ...CRUD.map((a) => ({ module: 'queues', action: a, description: `${verb(a)} queues` })),
  ...CRUD.map((a) => ({ module: 'counters', action: a, description: `${verb(a)} counters` })),
  { module: 'tickets', action: 'create', description: 'Issue tickets (enqueue)' },
  { module: 'tickets', action: 'read', description: 'Read tickets and boards' },
  {
    module: 'tickets',
    action: 'serve',
    description: 'Call next, start, complete, no-show, recall and transfer tickets',
  },
  { module: 'tickets', action: 'cancel', description: 'Cancel tickets' },
  { module: 'tickets', action: 'reassign', description: 'Reassign waiting tickets between queues' },
  { module: 'reports', action: 'read', description: 'Read service reports' },
] as const;

function verb(action: string): string {
  return action === 'read' ? 'Read' : `${action[0]!.toUpperCase()}${action.slice(1)}`;
}

export type Permission = `${(typeof CATALOG)[number]['module']}:${(typeof CATALOG)[number]['action']}`;

export interface PermissionInfo {
  id: Permission;
  module: string;
  action: string;
  description: string;
}

export const PERMISSIONS: readonly PermissionInfo[] = CATALOG.map((p) => ({
  id: `${p.module}:${p.action}` as Permission,
  module: p.module,
  action: p.action,
  description: p.description,
}));

export const PERMISSION_IDS: readonly Permission[] = PERMISSIONS.map((p) => p.id);

const ids = new Set<string>(PERMISSION_IDS);
export function isPermission(value: string): value is Permission {
  return ids.has(value);
}

export type BuiltInRoleId = 'admin' | 'manager' | 'agent' | 'kiosk' | 'display';

export interface Role {
  id: string;
  name: string;
  permissions: Permission[];
  builtIn: boolean;
  createdAt: string;
  updatedAt: string;
}

const isIdentityWrite = (p: Permission) => /^(users|roles):(create|update|delete)$/.test(p);

const BUILT_IN_PERMISSIONS: Record<BuiltInRoleId, Permission[]> = {
  admin: [...PERMISSION_IDS],
  manager: PERMISSION_IDS.filter((p) => !isIdentityWrite(p)),
  agent: [
    'tickets:create',
    'tickets:read',
    'tickets:serve',
    'tickets:cancel',
    'queues:read',
    'counters:read',
    'priorities:read',
    'branches:read',
  ],
  kiosk: ['tickets:create', 'queues:read', 'priorities:read', 'branches:read'],
  display: ['branches:read', 'queues:read', 'tickets:read'],
};

const BUILT_IN_NAMES: Record<BuiltInRoleId, string> = {
  admin: 'Administrator',
  manager: 'Manager',
  agent: 'Agent',
  kiosk: 'Kiosk',
  display: 'Display',
};

/** Built-in roles exist in code, not in the table: they cannot change, so they need no storage. */
const EPOCH = '2026-01-01T00:00:00.000Z';
export const BUILT_IN_ROLES: readonly Role[] = (Object.keys(BUILT_IN_PERMISSIONS) as BuiltInRoleId[]).map(
  (id) => ({
    id,
    name: BUILT_IN_NAMES[id],
    permissions: BUILT_IN_PERMISSIONS[id],
    builtIn: true,
    createdAt: EPOCH,
    updatedAt: EPOCH,
  }),
);

export function builtInRole(id: string): Role | undefined {
  return BUILT_IN_ROLES.find((r) => r.id === id);
}
