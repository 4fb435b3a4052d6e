import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { BrandingStore } from '#core/ports/branding';
import { dynamo, tableName } from './client';
import { brandingFromItem, type LogoItem, logoKey, type TenantItem, tenantKey } from './items/tenant';
import { conditionalTransaction, type TransactItems } from './transact';

/** A signup not verified yet has no settings: nobody can sign in to it. */
const isVerified = (item: Record<string, unknown> | undefined): item is Record<string, unknown> =>
  item?.verified === true;

export const dynamoBrandingStore: BrandingStore = {
  async settings(tenantId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: tenantKey(tenantId), ConsistentRead: true }),
    );
    if (!isVerified(Item)) return undefined;
    const item = Item as unknown as TenantItem;
    return {
      tenant: { id: item.id, slug: item.slug, name: item.name },
      branding: brandingFromItem(item as unknown as Record<string, unknown>),
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
    };
  },

  async branding(tenantId) {
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: tableName(),
        Key: tenantKey(tenantId),
        ProjectionExpression: 'verified, brandName, brandColor, logoId, logoType',
      }),
    );
    return isVerified(Item) ? brandingFromItem(Item) : undefined;
  },

  async update(tenantId, change, currentLogoId, now) {
    const TableName = tableName();
    const set = ['updatedAt = :now'];
    const remove: string[] = [];
    const values: Record<string, unknown> = { ':now': now.toISOString(), ':true': true };
    const field = (attribute: string, value: string | null | undefined) => {
      if (value === undefined) return;
      if (value === null) remove.push(attribute);
      else {
        set.push(`${attribute} = :${attribute}`);
        values[`:${attribute}`] = value;
      }
    };
    field('brandName', change.displayName);
    field('brandColor', change.accentColor);
    const items: TransactItems = [];
    let condition = 'attribute_exists(pk) AND verified = :true';
    if (change.logo !== undefined) {
      field('logoId', change.logo?.id ?? null);
      field('logoType', change.logo?.contentType ?? null);
      // The logo must still be the one this change replaces: else two admins' changes could
      // leave a logo item that no tenant points to, or point to one deleted.
      if (currentLogoId) {
        condition += ' AND logoId = :currentLogo';
        values[':currentLogo'] = currentLogoId;
      } else condition += ' AND attribute_not_exists(logoId)';
      const newId = change.logo?.id ?? null;
      if (change.logo && newId !== currentLogoId) {
        const logo: LogoItem = {
          ...logoKey(tenantId, change.logo.id),
          type: 'logo',
          contentType: change.logo.contentType,
          bytes: change.logo.bytes,
          createdAt: now.toISOString(),
        };
        items.push({ Put: { TableName, Item: logo } });
      }
      if (currentLogoId && newId !== currentLogoId)
        items.push({ Delete: { TableName, Key: logoKey(tenantId, currentLogoId) } });
    }
    const update = {
      TableName,
      Key: tenantKey(tenantId),
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    };
    const failed = await conditionalTransaction([{ Update: update }, ...items]);
    if (failed.length === 0) return 'updated';
    const exists = await dynamoBrandingStore.settings(tenantId);
    return exists ? 'changed' : 'missing';
  },

  async logo(tenantId, logoId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: logoKey(tenantId, logoId) }),
    );
    if (!Item) return undefined;
    const item = Item as LogoItem;
    return { contentType: item.contentType, bytes: item.bytes };
  },
};
