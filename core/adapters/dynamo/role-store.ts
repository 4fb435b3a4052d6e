import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#core/domain/errors';
import type { Role } from '#core/domain/permissions';
import type { RoleStore } from '#core/ports/roles';
import { dynamo, tableName } from './client';
import { pageOf } from './cursor';
import { isConditionFailed } from './errors';
import { ROLE_PREFIX, roleFromItem, roleKey, roleToItem, roleVersionOf } from './items/role';
import { tenantPartition } from './items/tenant';
import { roleRef } from './items/user';
import { numberIs, queryAll, updateOf } from './operations';
import { revocationWrite } from './revocation-store';
import { conditionalTransaction } from './transact';

async function getItem(tenantId: string, roleId: string) {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: roleKey(tenantId, roleId), ConsistentRead: true }),
  );
  return Item;
}

const ATTEMPTS = 5;

/** The listing order of roles, and their cursors' key: built-in first, then custom ones by id. */
const listKey = (role: Role) => `${role.builtIn ? 0 : 1}${role.id}`;

export const dynamoRoleStore: RoleStore = {
  async get(tenantId, roleId) {
    const item = await getItem(tenantId, roleId);
    return item && roleFromItem(item);
  },

  async grants(tenantId, roleId) {
    const item = await getItem(tenantId, roleId);
    return item && { permissions: roleFromItem(item).permissions, version: roleVersionOf(item) };
  },

  async list(tenantId) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': ROLE_PREFIX },
    });
    return items.map(roleFromItem);
  },

  pageOf(tenantId, roles, { limit, cursor }) {
    const sorted = [...roles].sort((a, b) => listKey(a).localeCompare(listKey(b)));
    return pageOf(sorted, listKey, limit, cursor, `roles#${tenantId}`);
  },

  async create(tenantId, role) {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: roleToItem(tenantId, role),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  /** Read, then write on condition of the version read (retried), with its revocation if any. */
  async update(tenantId, roleId, patch) {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const item = await getItem(tenantId, roleId);
      if (!item) return undefined;
      const current = roleFromItem(item);
      const version = roleVersionOf(item);
      const next: Role = {
        ...current,
        name: patch.name ?? current.name,
        permissions: patch.permissions ?? current.permissions,
        updatedAt: patch.updatedAt,
      };
      const permissionsChanged = next.permissions.join() !== current.permissions.join();
      const failed = await conditionalTransaction([
        {
          Update: updateOf(roleKey(tenantId, roleId), {
            set: { ...patch, version: version + 1 },
            condition: (x) => `attribute_exists(pk) AND ${numberIs(x, 'version', version)}`,
          }),
        },
        ...(permissionsChanged ? [revocationWrite(tenantId, { roleId }, version + 1)] : []),
      ]);
      if (failed.length === 0) return next;
    }
    throw new ConflictError('concurrent-update', 'The role is being changed by someone else, retry');
  },

  async delete(tenantId, roleId) {
    try {
      await dynamo().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: roleKey(tenantId, roleId),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  },

  async inUse(tenantId, roleId) {
    const { Items } = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'refs',
        KeyConditionExpression: 'refPk = :ref',
        ExpressionAttributeValues: { ':ref': roleRef(tenantId, roleId) },
        Limit: 1,
      }),
    );
    return (Items?.length ?? 0) > 0;
  },
};
