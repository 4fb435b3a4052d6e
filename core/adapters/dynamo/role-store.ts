import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../domain/permissions';
import type { RoleStore } from '../../ports/roles';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';
import { ROLE_PREFIX, roleFromItem, roleKey, roleToItem } from './items/role';
import { tenantPartition } from './items/tenant';
import { roleRef } from './items/user';
import { queryAll, updateOf } from './operations';

/** Its own export, so that the user functions (which only read roles) carry no role writes. */
export async function getCustomRole(tenantId: string, roleId: string): Promise<Role | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: roleKey(tenantId, roleId), ConsistentRead: true }),
  );
  return Item && roleFromItem(Item);
}

export const dynamoRoleStore: RoleStore = {
  get: getCustomRole,

  async list(tenantId) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': ROLE_PREFIX },
    });
    return items.map(roleFromItem);
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

  async update(tenantId, roleId, patch) {
    try {
      const { Attributes } = await dynamo().send(
        new UpdateCommand({
          ...updateOf(roleKey(tenantId, roleId), { set: patch, condition: 'attribute_exists(pk)' }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes && roleFromItem(Attributes);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
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
