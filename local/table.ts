import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { type IndexDef, KEY_ATTRIBUTES, TABLE } from '#core/adapters/dynamo/table';

/** The change stream the live fan-out reads (docs/live.md): before and after of every write. */
const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;

/**
 * Creates the table of core/adapters/dynamo/table.ts when it does not exist yet. With `stream`
 * (the local runtime, whose push server reads it; the live tests) the table has its change
 * stream, added to a table made without one. Without it none is made: DynamoDB Local records
 * every write in its stream, which made the whole test suite 1.7 times slower.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  { stream = false }: { stream?: boolean } = {},
): Promise<'created' | 'exists'> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (stream && !Table?.StreamSpecification?.StreamEnabled)
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }));
    return 'exists';
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  const indexes: GlobalSecondaryIndex[] = Object.entries(TABLE.indexes as Record<string, IndexDef>).map(
    ([name, index]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: index.hashKey, KeyType: 'HASH' },
        { AttributeName: index.rangeKey, KeyType: 'RANGE' },
      ],
      Projection:
        index.projection === 'all'
          ? { ProjectionType: 'ALL' }
          : index.projection === 'keys_only'
            ? { ProjectionType: 'KEYS_ONLY' }
            : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
    }),
  );
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE.hashKey, KeyType: 'HASH' },
        { AttributeName: TABLE.rangeKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes,
      ...(stream && { StreamSpecification: STREAM }),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttl, Enabled: true },
    }),
  );
  return 'created';
}
