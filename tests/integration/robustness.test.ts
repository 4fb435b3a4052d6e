import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { RouteDef } from '#core/contract/define';
import { routes } from '#core/contract/index';
import { type ApiResponse, type CallOptions, call } from '#tests/support/api';
import { createTestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/**
 * Bad input against every route of the table (docs/rules.md#errors): whatever a client sends, the
 * answer is a 4xx problem+json, never a 500. Driven by the route table, so routes added later are
 * covered without touching this file. An admin token with every branch gets past 401/403, so the
 * answers show what validation does.
 */

let token: string;
beforeAll(async () => {
  const env = await createTestEnv();
  token = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin', branches: ['*'] });
});

const label = (r: RouteDef) => `${r.method} ${r.path}`;
/** A fresh client address per request keeps per-IP rate limits of public routes out of the way. */
const someIp = () =>
  `10.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`;
/** Path parameters well formed (ids: ULIDs; a public token: 64 token characters) unless given. */
const fill = (path: string, values: Record<string, string> = {}) =>
  path.replace(
    /\{(\w+)\}/g,
    (_, name: string) => values[name] ?? (name === 'publicToken' ? 'A'.repeat(64) : ulid()),
  );

function expectProblem(res: ApiResponse, statuses: number[], what: string) {
  expect(statuses, `${what} → ${res.status} ${res.text}`).toContain(res.status);
  expect(res.headers['content-type'], what).toBe('application/problem+json');
  expect(res.body, what).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status: res.status,
  });
}

/** Top-level property names of a body schema (empty for non-object schemas). */
function bodyProperties(schema: z.ZodMiniType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return Object.keys(json.properties ?? {});
}

const isUnion = (schema: z.ZodMiniType) => (schema._zod.def as { type: string }).type === 'union';

interface BodyCase {
  name: string;
  build: (r: RouteDef) => CallOptions;
  statuses: number[];
  /** Extra assertion on the 4xx answer. */
  check?: (res: ApiResponse, r: RouteDef) => void;
}

const json = (rawBody: string | Buffer): CallOptions => ({
  rawBody,
  headers: { 'content-type': 'application/json' },
});
const everyProperty = (r: RouteDef, value: string) => {
  const names = bodyProperties(r.body!);
  return `{${(names.length > 0 ? names : ['note']).map((n) => `${JSON.stringify(n)}:${value}`).join(',')}}`;
};

const BODY_CASES: BodyCase[] = [
  { name: 'malformed JSON', build: () => json('{"name": "x",'), statuses: [400] },
  { name: 'a JSON array instead of an object', build: () => json('[{}]'), statuses: [400] },
  { name: 'a JSON string instead of an object', build: () => json('"hello"'), statuses: [400] },
  { name: 'JSON null', build: () => json('null'), statuses: [400] },
  {
    name: 'an unknown top-level field',
    build: () => ({ body: { zzUnknownField: 1 } }),
    statuses: [400],
    // A union reports "no variant matched" rather than naming the field; still a 400.
    check: (res, r) => {
      if (!isUnion(r.body!))
        expect(res.body.errors, label(r)).toContainEqual({
          path: 'body.zzUnknownField',
          message: 'Unknown field',
        });
    },
  },
  {
    name: 'wrong types in every field',
    build: (r) => json(everyProperty(r, '{"zz":[true]}')),
    statuses: [400],
  },
  {
    name: 'out-of-range numbers in every field',
    build: (r) => json(everyProperty(r, '1e400')),
    statuses: [400],
  },
  {
    name: 'a __proto__ key',
    build: () => json('{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}'),
    statuses: [400],
  },
  {
    name: 'a 70 KiB body',
    build: (r) => json(everyProperty(r, JSON.stringify('x'.repeat(70 * 1024)))),
    statuses: [413],
  },
  {
    name: '10,000-deep nested arrays',
    build: () => json(`{"note":${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
    statuses: [400],
  },
  {
    name: 'a lone surrogate in string values',
    build: (r) => json(everyProperty(r, '"ab\\ud800cd"')),
    statuses: [400],
  },
  { name: 'a lone surrogate in a key', build: () => json('{"\\udc00":"x"}'), statuses: [400] },
  {
    name: 'invalid UTF-8 bytes',
    build: () =>
      json(Buffer.concat([Buffer.from('{"note":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])),
    statuses: [400],
  },
];

const bodyRoutes = routes.filter((r) => r.body !== undefined);
const paramRoutes = routes.filter((r) => r.path.includes('{'));
const v1Routes = routes.filter((r) => r.path.startsWith('/v1/'));

describe('the route table', () => {
  it('has unique method + path and unique function names', () => {
    expect(new Set(routes.map(label)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => r.function)).size).toBe(routes.length);
  });

  it('declares a schema for every path parameter of routes under /v1', () => {
    for (const r of paramRoutes.filter((p) => p.path.startsWith('/v1/'))) {
      expect(r.params, label(r)).toBeDefined();
    }
  });
});

for (const r of bodyRoutes) {
  describe(`${label(r)} body`, () => {
    it.each(BODY_CASES)('rejects $name', async (c) => {
      const options = c.build(r);
      const res = await call(r.method, fill(r.path), { token, sourceIp: someIp(), ...options });
      expectProblem(res, c.statuses, `${label(r)} with ${c.name}`);
      c.check?.(res, r);
    });
  });
}

const BAD_IDS = [
  'not-a-ulid',
  '0'.repeat(300),
  '01jd6z3q8m5v2x9k4t7r1n0b3c',
  '01JD6Z3Q8M5V2X9K4T7R1N0B3',
  '01JD6Z3Q8M5V2X9K4T7R1N0B3CX',
  '%E2%82%AC%E2%82%AC',
  '%00',
  '%22%3Cscript%3E',
  '..',
];

for (const r of paramRoutes) {
  const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  describe(`${label(r)} path`, () => {
    it.each(names.flatMap((name) => BAD_IDS.map((value) => ({ name, value }))))(
      'rejects {$name} = $value with 400 or 404',
      async ({ name, value }) => {
        const res = await call(r.method, fill(r.path, { [name]: value }), {
          token,
          sourceIp: someIp(),
          ...(r.body && { body: {} }),
        });
        expectProblem(res, [400, 404], `${label(r)} with ${name}=${value}`);
      },
    );
  });
}

for (const r of v1Routes) {
  describe(`${label(r)} query`, () => {
    it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty'])(
      'rejects a query parameter named %s with 400',
      async (name) => {
        const res = await call(r.method, fill(r.path), {
          token,
          sourceIp: someIp(),
          query: { [name]: '1' },
          ...(r.body && { body: {} }),
        });
        expectProblem(res, [400], `${label(r)} ?${name}=1`);
      },
    );

    it('rejects an unknown query parameter with 400', async () => {
      const res = await call(r.method, fill(r.path), {
        token,
        sourceIp: someIp(),
        query: { zzUnknownParam: '1' },
        ...(r.body && { body: {} }),
      });
      expectProblem(res, [400], label(r));
      expect(res.body.errors).toContainEqual({ path: 'query.zzUnknownParam', message: 'Unknown field' });
    });

    const queryKeys = r.query ? bodyProperties(r.query) : [];
    if (queryKeys.includes('limit')) {
      it.each(['0', '101', '-1', 'abc', '1e3', '5.5', '9'.repeat(40)])(
        'rejects limit=%s with 400',
        async (limit) => {
          const res = await call(r.method, fill(r.path), { token, sourceIp: someIp(), query: { limit } });
          expectProblem(res, [400], `${label(r)} limit=${limit}`);
        },
      );
    }
    if (queryKeys.includes('cursor')) {
      it.each(['garbage', 'eyJwayI6IlQjeCJ9', 'x'.repeat(3000)])(
        'rejects cursor=%s with 400',
        async (cursor) => {
          const res = await call(r.method, fill(r.path), { token, sourceIp: someIp(), query: { cursor } });
          // A cursor is checked against the partition it pages, so an unknown parent may win.
          expectProblem(res, r.params ? [400, 404] : [400], `${label(r)} cursor=${cursor.slice(0, 20)}`);
        },
      );
    }
  });
}
