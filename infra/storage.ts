import { type IndexDef, KEY_ATTRIBUTES, TABLE } from '#core/adapters/dynamo/table';
import type { Deploy } from '#core/contract/define';

/**
 * The single DynamoDB table, built from core/adapters/dynamo/table.ts — the same definition
 * the local runtime creates on DynamoDB Local — so the key schema, the five sparse GSIs with
 * their projections and the TTL attribute exist in one place. On-demand billing and
 * point-in-time recovery are SST's defaults; production also gets deletion protection.
 */
const projection = (p: IndexDef['projection']) =>
  p === 'keys_only' ? 'keys-only' : p === 'all' ? 'all' : [...p];

export const table = new sst.aws.Dynamo('Table', {
  fields: Object.fromEntries(KEY_ATTRIBUTES.map((name) => [name, 'string' as const])),
  primaryIndex: { hashKey: TABLE.hashKey, rangeKey: TABLE.rangeKey },
  globalIndexes: Object.fromEntries(
    Object.entries(TABLE.indexes).map(([name, index]) => [
      name,
      { hashKey: index.hashKey, rangeKey: index.rangeKey, projection: projection(index.projection) },
    ]),
  ),
  ttl: TABLE.ttl,
  deletionProtection: $app.stage === 'production',
});

/** A function's own DynamoDB access (its entry's `deploy.dynamo`), as an IAM statement. */
export const tableAccess = ({ actions, table: onTable, indexes = [] }: NonNullable<Deploy['dynamo']>) => ({
  actions: [...actions],
  resources: [
    ...(onTable ? [table.arn] : []),
    ...indexes.map((index) => $interpolate`${table.arn}/index/${index}`),
  ],
});
