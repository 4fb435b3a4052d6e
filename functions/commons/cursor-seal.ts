import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../core/domain/errors';

/**
 * Cursors leave the API sealed: `<cursor>.<HMAC-SHA256>` over the cursor and everything that
 * names the list it belongs to and who asked for it. A sealed cursor is accepted only by the same
 * list (route, path parameters, filters) for the same user of the same tenant; anything else —
 * edited, truncated, forged, or someone else's — is a 400 before the list is read. The adapters
 * still check a cursor's shape (core/adapters/dynamo/cursor.ts): a second line, not the first.
 *
 * The key is a deployment secret: locally `npm start` generates it once into $DATA_DIR and passes
 * it as QUEUELINE_CURSOR_KEY; in AWS it is the SST secret `CursorKey`, linked only to the
 * functions of paginated routes (infra/api.ts).
 */

/** What a cursor is sealed to. `params` and `filter` are the raw path and query values. */
export interface CursorScope {
  tenantId: string;
  userId: string;
  /** `METHOD /path/{template}` of the list route. */
  route: string;
  params: Record<string, string | undefined>;
  /** The query without `cursor` and `limit` (a page size may change between pages). */
  filter: Record<string, string | undefined>;
}

export interface CursorSeal {
  seal(cursor: string, scope: CursorScope): Promise<string>;
  /** The cursor inside `sealed`, or a 400 naming `query.cursor`. */
  open(sealed: string, scope: CursorScope): Promise<string>;
}

const MIN_KEY_LENGTH = 32;
let keyFromSst: string | undefined;

async function cursorKey(): Promise<string> {
  const local = process.env.QUEUELINE_CURSOR_KEY;
  if (local === undefined) keyFromSst ??= await secretFromSst();
  const key = local ?? keyFromSst!;
  if (key.length < MIN_KEY_LENGTH) throw new Error(`The cursor key must have ${MIN_KEY_LENGTH}+ characters`);
  return key;
}

async function secretFromSst(): Promise<string> {
  const { Resource } = await import('sst/resource');
  return (Resource as unknown as { CursorKey: { value: string } }).CursorKey.value;
}

const sorted = (values: Record<string, string | undefined>) =>
  Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Base64url HMAC; the message is a JSON array, so that no two different scopes serialise alike. */
async function mac(cursor: string, scope: CursorScope): Promise<string> {
  const message = JSON.stringify([
    'cursor/1',
    scope.tenantId,
    scope.userId,
    scope.route,
    sorted(scope.params),
    sorted(scope.filter),
    cursor,
  ]);
  return createHmac('sha256', await cursorKey())
    .update(message)
    .digest('base64url');
}

const invalidCursor = () =>
  new ValidationError('Invalid cursor: pass the nextCursor of the previous page of this very list', [
    { path: 'query.cursor', message: 'Invalid cursor' },
  ]);

export const cursorSeal: CursorSeal = {
  async seal(cursor, scope) {
    return `${cursor}.${await mac(cursor, scope)}`;
  },

  async open(sealed, scope) {
    const dot = sealed.lastIndexOf('.');
    if (dot <= 0) throw invalidCursor();
    const cursor = sealed.slice(0, dot);
    const given = Buffer.from(sealed.slice(dot + 1));
    const expected = Buffer.from(await mac(cursor, scope));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
    return cursor;
  },
};
