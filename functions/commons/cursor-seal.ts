import { createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteDef } from '#core/contract/define';
import type { Actor } from '#core/domain/actor';
import { ValidationError } from '#core/domain/errors';
import type { CursorSeal } from './http';

/**
 * Cursors leave the API sealed: `<cursor>.<HMAC-SHA256>` over the cursor and everything that
 * names the list it belongs to and who asked for it — tenant, user, route, path parameters and
 * the filters (the query without `cursor` and `limit`: the page size may change between pages).
 * A sealed cursor is accepted only by the same list for the same user of the same tenant;
 * anything else — edited, truncated, forged, or someone else's — is a 400 before the list is
 * read. The adapters still check a cursor's shape (core/adapters/dynamo/cursor.ts): a second
 * line, not the first.
 *
 * The key is a deployment secret: locally `npm start` generates it once into $DATA_DIR and passes
 * it as QUEUELINE_CURSOR_KEY; in AWS it is the SST secret `CursorKey`, linked only to the
 * functions of paginated routes (infra/access.ts), whose handlers pass `cursorSeal` to the chain.
 */

let key: string | undefined;

/** Base64url HMAC of the cursor in its scope; a JSON array, so that no two scopes serialise alike. */
async function mac(cursor: string, route: RouteDef, actor: Actor | null, event: APIGatewayProxyEventV2) {
  key = process.env.QUEUELINE_CURSOR_KEY ?? key;
  if (key === undefined) {
    const { Resource } = await import('sst/resource');
    key = (Resource as unknown as { CursorKey: { value: string } }).CursorKey.value;
  }
  // A short key would make every cursor guessable: refuse to serve rather than seal weakly.
  if (key.length < 32) throw new Error('The cursor key needs 32+ characters');
  const { cursor: _, limit: __, ...filter } = event.queryStringParameters ?? {};
  const scope = [
    'cursor/1',
    actor?.tenantId,
    actor?.userId,
    `${route.method} ${route.path}`,
    Object.entries(event.pathParameters ?? {}).sort(),
    Object.entries(filter).sort(),
    cursor,
  ];
  return createHmac('sha256', key).update(JSON.stringify(scope)).digest('base64url');
}

export const cursorSeal: CursorSeal = {
  async open(route, actor, event, sealed) {
    const dot = sealed.lastIndexOf('.');
    const cursor = sealed.slice(0, dot);
    const given = Buffer.from(sealed.slice(dot + 1));
    const expected = Buffer.from(await mac(cursor, route, actor, event));
    if (dot <= 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ValidationError('Invalid cursor', [{ path: 'query.cursor', message: 'Invalid cursor' }]);
    }
    return cursor;
  },

  async seal(route, actor, event, body) {
    const page = body as { nextCursor?: unknown } | undefined;
    if (typeof page?.nextCursor !== 'string') return;
    page.nextCursor = `${page.nextCursor}.${await mac(page.nextCursor, route, actor, event)}`;
  },
};
