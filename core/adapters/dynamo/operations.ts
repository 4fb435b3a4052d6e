import {
  BatchGetCommand,
  QueryCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '#core/domain/errors';
import { StaleReadError } from '#core/ports/setup';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';
import { conditionalTransaction } from './transact';

/** Small building blocks of the setup repositories: updates, transactions, full reads. */

type Key = Record<string, string>;

/** The item exists and is not soft-deleted. */
export const LIVE = 'attribute_exists(pk) AND attribute_not_exists(deletedAt)';

/** Placeholders for a condition: attribute names are always aliased (`name`, `status` are reserved). */
export interface Expr {
  name(attribute: string): string;
  value(value: unknown): string;
}

/** A number attribute equals `n`, an absent one counting as 0 (items written before it was kept). */
export function numberIs(x: Expr, attribute: string, n: number): string {
  const a = x.name(attribute);
  const is = `${a} = ${x.value(n)}`;
  return n === 0 ? `(attribute_not_exists(${a}) OR ${is})` : is;
}

export interface UpdateSpec {
  /** `undefined` values are skipped; `null` is stored as null. */
  set?: Record<string, unknown>;
  add?: Record<string, number>;
  remove?: readonly string[];
  condition?: string | ((x: Expr) => string);
}

/** An Update request, for an UpdateCommand or a transaction item alike. */
export function updateOf(key: Key, spec: UpdateSpec) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const aliases = new Map<string, string>();
  const x: Expr = {
    // Indexed placeholders: attribute names may hold any character (report figures use `|`, `:`).
    name(attribute) {
      let placeholder = aliases.get(attribute);
      if (!placeholder) {
        placeholder = `#a${aliases.size}`;
        aliases.set(attribute, placeholder);
        names[placeholder] = attribute;
      }
      return placeholder;
    },
    value(value) {
      const placeholder = `:v${Object.keys(values).length}`;
      values[placeholder] = value;
      return placeholder;
    },
  };
  const sets = Object.entries(spec.set ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([n, v]) => `${x.name(n)} = ${x.value(v)}`);
  const adds = Object.entries(spec.add ?? {}).map(([n, v]) => `${x.name(n)} ${x.value(v)}`);
  const removes = (spec.remove ?? []).map((n) => x.name(n));
  const condition = typeof spec.condition === 'function' ? spec.condition(x) : spec.condition;
  return {
    TableName: tableName(),
    Key: key,
    UpdateExpression: [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
      removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' '),
    ...(condition && { ConditionExpression: condition }),
    ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
    ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
  };
}

/** Updates a live (existing, not deleted) item and returns it as it is now; 404 `what` otherwise. */
export async function updateLive(key: Key, spec: Omit<UpdateSpec, 'condition'>, what: string) {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({ ...updateOf(key, { ...spec, condition: LIVE }), ReturnValues: 'ALL_NEW' }),
    );
    return Attributes!;
  } catch (error) {
    if (isConditionFailed(error)) throw new NotFoundError(what);
    throw error;
  }
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One write of a transaction and what the failure of its condition means (default: a stale read). */
export interface Write {
  item: TransactItem;
  onConditionFailed?: () => Error;
}

export const MAX_TRANSACTION_ITEMS = 100;

export async function transactWrites(writes: readonly Write[]): Promise<void> {
  if (writes.length > MAX_TRANSACTION_ITEMS) {
    throw new ConflictError('too-large', 'Too many items change at once; make the change in smaller steps');
  }
  const [failed] = await conditionalTransaction(writes.map((w) => w.item));
  if (failed !== undefined) throw writes[failed]!.onConditionFailed?.() ?? new StaleReadError();
}

/** Every item of a query, all pages. */
export async function queryAll(
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The items of `keys` that exist (strongly consistent), in no particular order; with
 * `attributes`, only those attributes of each.
 */
export async function getMany(
  keys: readonly Key[],
  attributes?: readonly string[],
): Promise<Record<string, unknown>[]> {
  const table = tableName();
  const projection = attributes && {
    ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
  };
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Key[] = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      // Keys left unprocessed (throttling) are asked again after a growing pause.
      if (attempt > 0) await sleep(Math.random() * 25 * 2 ** Math.min(attempt, 6));
      const { Responses, UnprocessedKeys } = await dynamo().send(
        new BatchGetCommand({
          RequestItems: { [table]: { Keys: pending, ConsistentRead: true, ...projection } },
        }),
      );
      items.push(...(Responses?.[table] ?? []));
      pending = (UnprocessedKeys?.[table]?.Keys as Key[] | undefined) ?? [];
    }
  }
  return items;
}
