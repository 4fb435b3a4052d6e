import { ValidationError } from '#core/domain/errors';
import { type IndexName, TABLE } from './table';

/**
 * Pagination cursors are the query's LastEvaluatedKey, base64url-encoded. The HTTP layer seals
 * them to the list and the caller (functions/commons/cursor-seal.ts); this is the second line:
 * on the way back in, a cursor must be a flat map of exactly the key attributes of the table or
 * index queried (DynamoDB refuses any other start key), whose partition value is exactly the
 * partition being queried, so it can never point into another tenant's (or another list's) keys.
 */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  if (!lastKey) return null;
  return Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  partition: { attribute: string; value: string },
  index?: IndexName,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError('Invalid cursor', [{ path: 'query.cursor', message: 'Invalid cursor' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed as Record<string, unknown>);
  const keys = new Set<string>([TABLE.hashKey, TABLE.rangeKey]);
  if (index) keys.add(TABLE.indexes[index].hashKey).add(TABLE.indexes[index].rangeKey);
  if (entries.length !== keys.size) throw invalid();
  for (const [name, value] of entries) {
    if (!keys.has(name) || typeof value !== 'string' || value.length === 0 || value.length > 512) {
      throw invalid();
    }
  }
  const key = parsed as Record<string, string>;
  if (key[partition.attribute] !== partition.value) throw invalid();
  return key;
}

/**
 * In-memory pagination for small, fully-read lists (e.g. priorities sorted by rank). `list`, when
 * given, names the list (tenant included): its cursors are rejected by any other list.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  cursor: string | undefined,
  list?: string,
): { items: T[]; nextCursor: string | null } {
  let start = 0;
  if (cursor !== undefined) {
    let after: unknown;
    try {
      after = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      after = undefined;
    }
    if (
      !after ||
      typeof after !== 'object' ||
      typeof (after as { after?: unknown }).after !== 'string' ||
      (after as { list?: unknown }).list !== list
    ) {
      throw new ValidationError('Invalid cursor', [{ path: 'query.cursor', message: 'Invalid cursor' }]);
    }
    const afterKey = (after as { after: string }).after;
    start = items.findIndex((item) => keyOf(item) > afterKey);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + limit);
  const last = page.at(-1);
  const more = start + limit < items.length;
  return {
    items: page,
    nextCursor:
      more && last ? Buffer.from(JSON.stringify({ list, after: keyOf(last) })).toString('base64url') : null,
  };
}
