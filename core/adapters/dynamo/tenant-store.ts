import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '#core/domain/tenant';
import type { TenantStore } from '#core/ports/tenants';
import { dynamo, tableName } from './client';
import {
  type SlugClaimItem,
  slugClaimKey,
  tenantKey,
  tenantToItem,
  type VerificationItem,
  verificationKey,
} from './items/tenant';
import { userKey, usernameClaimKey, userToItem } from './items/user';
import { conditionalTransaction } from './transact';

/**
 * A slug is free when unclaimed, or claimed by an unverified signup whose expiry has come (TTL is
 * lazy): from that second on, as findBySlug and verify see it too.
 */
const SLUG_FREE = 'attribute_not_exists(pk) OR (attribute_exists(#ttl) AND #ttl <= :now)';

export const dynamoTenantStore: TenantStore = {
  async create({ tenant, admin, unverified, now }) {
    const TableName = tableName();
    const ttl = unverified && epochSeconds(unverified.expiresAt);
    const usernameLower = admin.username.toLowerCase();
    const slugClaim: SlugClaimItem = {
      ...slugClaimKey(tenant.slug),
      type: 'slug',
      tenantId: tenant.id,
      verified: !unverified,
      ttl,
    };
    const isNew = 'attribute_not_exists(pk)';
    const items = [
      {
        Put: {
          TableName,
          Item: slugClaim,
          ConditionExpression: SLUG_FREE,
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        },
      },
      { Put: { TableName, Item: tenantToItem(tenant, !unverified, now, ttl), ConditionExpression: isNew } },
      { Put: { TableName, Item: userToItem(admin, ttl), ConditionExpression: isNew } },
      {
        Put: {
          TableName,
          Item: { ...usernameClaimKey(tenant.id, usernameLower), type: 'username', userId: admin.id, ttl },
          ConditionExpression: isNew,
        },
      },
    ];
    if (unverified && ttl) {
      const verification: VerificationItem = {
        ...verificationKey(unverified.verificationTokenHash),
        type: 'verification',
        tenantId: tenant.id,
        userId: admin.id,
        slug: tenant.slug,
        usernameLower,
        ttl,
      };
      items.push({ Put: { TableName, Item: verification, ConditionExpression: isNew } });
    }
    const failed = await conditionalTransaction(items);
    if (failed.length === 0) return 'created';
    if (failed.includes(0)) return 'slug-taken';
    throw new Error(`Signup transaction failed on items ${failed.join(',')}`);
  },

  async discardSignup({ tenant, admin, verificationTokenHash }) {
    const TableName = tableName();
    // Only the claim is conditioned: every other key names this signup alone.
    await conditionalTransaction([
      {
        Delete: {
          TableName,
          Key: slugClaimKey(tenant.slug),
          ConditionExpression: 'tenantId = :tenantId',
          ExpressionAttributeValues: { ':tenantId': tenant.id },
        },
      },
      { Delete: { TableName, Key: tenantKey(tenant.id) } },
      { Delete: { TableName, Key: userKey(tenant.id, admin.id) } },
      { Delete: { TableName, Key: usernameClaimKey(tenant.id, admin.username.toLowerCase()) } },
      { Delete: { TableName, Key: verificationKey(verificationTokenHash) } },
    ]);
  },

  async findBySlug(slug, now) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: slugClaimKey(slug), ConsistentRead: true }),
    );
    const claim = Item as SlugClaimItem | undefined;
    if (!claim || (claim.ttl !== undefined && claim.ttl <= epochSeconds(now))) return undefined;
    return { tenantId: claim.tenantId, verified: claim.verified };
  },

  async verify(tokenHash, now) {
    const TableName = tableName();
    const { Item } = await dynamo().send(
      new GetCommand({ TableName, Key: verificationKey(tokenHash), ConsistentRead: true }),
    );
    const token = Item as VerificationItem | undefined;
    if (!token || token.ttl <= epochSeconds(now)) return false;
    const exists = 'attribute_exists(pk)';
    const keepForever = { UpdateExpression: 'REMOVE #ttl', ExpressionAttributeNames: { '#ttl': 'ttl' } };
    const failed = await conditionalTransaction([
      { Delete: { TableName, Key: verificationKey(tokenHash), ConditionExpression: exists } },
      {
        // The claim must still be this signup's: an expired slug may have been taken over.
        Update: {
          TableName,
          Key: slugClaimKey(token.slug),
          UpdateExpression: 'SET verified = :true REMOVE #ttl',
          ConditionExpression: 'tenantId = :tenantId',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':true': true, ':tenantId': token.tenantId },
        },
      },
      {
        Update: {
          TableName,
          Key: tenantKey(token.tenantId),
          UpdateExpression: 'SET verified = :true, updatedAt = :now REMOVE #ttl',
          ConditionExpression: exists,
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':true': true, ':now': now.toISOString() },
        },
      },
      {
        Update: {
          TableName,
          Key: userKey(token.tenantId, token.userId),
          ConditionExpression: exists,
          ...keepForever,
        },
      },
      {
        Update: {
          TableName,
          Key: usernameClaimKey(token.tenantId, token.usernameLower),
          ConditionExpression: exists,
          ...keepForever,
        },
      },
    ]);
    return failed.length === 0;
  },
};
