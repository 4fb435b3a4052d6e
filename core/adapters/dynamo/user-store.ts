import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { EVERY_VERSION } from '#core/domain/revocation';
import type { UserRecord } from '#core/domain/user';
import type { UserStore } from '#core/ports/users';
import { dynamo, tableName } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import { branchKey } from './items/branch';
import { roleKey } from './items/role';
import { tenantPartition } from './items/tenant';
import { roleRefOf, USER_PREFIX, userFromItem, userKey, usernameClaimKey, userToItem } from './items/user';
import { numberIs, updateOf } from './operations';
import { revocationWrite } from './revocation-store';
import { conditionalTransaction, type TransactItems } from './transact';

async function getUser(tenantId: string, userId: string): Promise<UserRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: userKey(tenantId, userId), ConsistentRead: true }),
  );
  const user = Item && userFromItem(Item);
  return user && !user.deletedAt ? user : undefined;
}

/** A write that must only land while the custom role still exists. */
const roleExists = (tenantId: string, roleId: string | undefined): TransactItems =>
  roleId === undefined
    ? []
    : [
        {
          ConditionCheck: {
            TableName: tableName(),
            Key: roleKey(tenantId, roleId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ];

export const dynamoUserStore: UserStore = {
  get: getUser,

  async findByUsername(tenantId, usernameLower) {
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: tableName(),
        Key: usernameClaimKey(tenantId, usernameLower),
        ConsistentRead: true,
      }),
    );
    return Item ? getUser(tenantId, Item.userId as string) : undefined;
  },

  async list(tenantId, { limit, cursor }) {
    const pk = tenantPartition(tenantId);
    let startKey: Record<string, unknown> | undefined = decodeCursor(cursor, { attribute: 'pk', value: pk });
    const items: UserRecord[] = [];
    // Deleted users are filtered after the read, so keep reading until the page is full.
    do {
      const page = await dynamo().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: 'attribute_not_exists(deletedAt)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': USER_PREFIX },
          Limit: limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []).map(userFromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return { items, nextCursor: encodeCursor(startKey) };
  },

  async create(user, customRoleId) {
    const TableName = tableName();
    const isNew = 'attribute_not_exists(pk)';
    const failed = await conditionalTransaction([
      { Put: { TableName, Item: userToItem(user), ConditionExpression: isNew } },
      {
        Put: {
          TableName,
          Item: {
            ...usernameClaimKey(user.tenantId, user.username.toLowerCase()),
            type: 'username',
            userId: user.id,
          },
          ConditionExpression: isNew,
        },
      },
      ...roleExists(user.tenantId, customRoleId),
    ]);
    if (failed.includes(2)) return 'role-missing';
    if (failed.includes(1)) return 'username-taken';
    if (failed.length > 0) throw new Error('User id collision');
    return 'created';
  },

  async update(user, expectedVersion, customRoleId) {
    const ref = roleRefOf(user);
    const failed = await conditionalTransaction([
      {
        Update: updateOf(userKey(user.tenantId, user.id), {
          set: {
            fullName: user.fullName,
            email: user.email,
            roleId: user.roleId,
            branchIds: user.branchIds,
            active: user.active,
            passwordHash: user.passwordHash,
            sessionEpoch: user.sessionEpoch,
            version: user.version,
            updatedAt: user.updatedAt,
            ...ref,
          },
          remove: ref ? [] : ['refPk', 'refSk'],
          condition: (x) =>
            `${x.name('version')} = ${x.value(expectedVersion)} AND attribute_not_exists(deletedAt)`,
        }),
      },
      ...roleExists(user.tenantId, customRoleId),
      // Any change of the record ends the access tokens issued before it (role, scope,
      // deactivation, password…): the next refresh issues one with the record as it is now.
      revocationWrite(user.tenantId, { userId: user.id }, user.version),
    ]);
    if (failed.includes(1)) return 'role-missing';
    return failed.length === 0 ? 'updated' : 'stale';
  },

  async softDelete(user, now) {
    const TableName = tableName();
    const failed = await conditionalTransaction([
      {
        Update: updateOf(userKey(user.tenantId, user.id), {
          set: { deletedAt: now.toISOString(), updatedAt: now.toISOString() },
          add: { sessionEpoch: 1, version: 1 },
          remove: ['refPk', 'refSk'],
          condition: (x) => `${numberIs(x, 'version', user.version)} AND attribute_not_exists(deletedAt)`,
        }),
      },
      {
        Delete: {
          TableName,
          Key: usernameClaimKey(user.tenantId, user.username.toLowerCase()),
          ConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': user.id },
        },
      },
      revocationWrite(user.tenantId, { userId: user.id }, EVERY_VERSION),
    ]);
    return failed.length === 0 ? 'deleted' : 'gone';
  },

  async unknownBranches(tenantId, branchIds) {
    if (branchIds.length === 0) return [];
    const TableName = tableName();
    const live = new Set<string>();
    // BatchGet rejects repeated keys.
    let keys: Record<string, unknown>[] | undefined = [...new Set(branchIds)].map((id) =>
      branchKey(tenantId, id),
    );
    while (keys && keys.length > 0) {
      const result: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({
          RequestItems: { [TableName]: { Keys: keys, ProjectionExpression: 'id, deletedAt' } },
        }),
      );
      for (const item of result.Responses?.[TableName] ?? []) {
        if (!item.deletedAt) live.add(item.id as string);
      }
      keys = result.UnprocessedKeys?.[TableName]?.Keys;
    }
    return branchIds.filter((id) => !live.has(id));
  },
};
