import { type IndexName, TABLE } from '#core/adapters/dynamo/table';
import type { DynamoAccess, FunctionDef, RouteDef } from './define';

/** Reading items: one, a batch, a query of the table or an index. */
export const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
/** Writing items, alone or in a transaction (whose condition checks need ConditionCheckItem). */
export const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;

const ALL_INDEXES = Object.keys(TABLE.indexes) as IndexName[];

/**
 * What a function may do to the table (its IAM statement, infra/access.ts), or `undefined` for
 * nothing. A function's entry says it where the default does not fit (`deploy.dynamo`: the
 * functions without the table, the day-close jobs, /health, the public status with its rate
 * window); otherwise a GET route reads — item reads and queries of the table and its indexes —
 * and any other route reads and writes items. No function may Scan, write in batches or change
 * the table itself. docs/deploy.md lists the result for every function (`npm run iam-table`).
 */
export function dynamoAccess(def: FunctionDef | RouteDef): DynamoAccess | undefined {
  const given = def.deploy?.dynamo;
  if (given === 'none') return undefined;
  if (given) return given;
  const reads = 'method' in def && def.method === 'GET';
  return {
    actions: reads ? [...READ_ACTIONS] : [...READ_ACTIONS, ...WRITE_ACTIONS],
    table: true,
    indexes: ALL_INDEXES,
  };
}
