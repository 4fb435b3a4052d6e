import { type IndexDef, KEY_ATTRIBUTES, TABLE } from '#core/adapters/dynamo/table';
import type { DynamoAccess } from '#core/contract/define';

/**
 * The single DynamoDB table, built from core/adapters/dynamo/table.ts — the same definition
 * the local runtime creates on DynamoDB Local — so the key schema, the five sparse GSIs with
 * their projections and the TTL attribute exist in one place. On-demand billing and
 * point-in-time recovery are SST's defaults (the tests assert both); a protected stage
 * (production: `isProduction` in sst.config.ts sets `$app.protect`) also gets deletion
 * protection, and `removal: 'retain'` keeps the table when the stage is removed.
 */
const projection = (p: IndexDef['projection']) =>
  p === 'keys_only' ? 'keys-only' : p === 'all' ? 'all' : [...p];

export function createTable() {
  return new sst.aws.Dynamo('Table', {
    fields: Object.fromEntries(KEY_ATTRIBUTES.map((name) => [name, 'string' as const])),
    primaryIndex: { hashKey: TABLE.hashKey, rangeKey: TABLE.rangeKey },
    globalIndexes: Object.fromEntries(
      Object.entries(TABLE.indexes).map(([name, index]) => [
        name,
        { hashKey: index.hashKey, rangeKey: index.rangeKey, projection: projection(index.projection) },
      ]),
    ),
    ttl: TABLE.ttl,
    // Every write's before and after, for the live fan-out (infra/live.ts, docs/live.md).
    stream: 'new-and-old-images',
    deletionProtection: $app.protect,
  });
}

/**
 * A function's DynamoDB access (core/contract/access.ts), as an IAM statement — instead
 * of linking the table, whose link grants `dynamodb:*` on it and every index.
 */
export const tableAccess = (
  table: sst.aws.Dynamo,
  { actions, table: onTable, indexes = [] }: DynamoAccess,
) => ({
  actions: [...actions],
  resources: [
    ...(onTable ? [table.arn] : []),
    ...indexes.map((index) => $interpolate`${table.arn}/index/${index}`),
  ],
});
