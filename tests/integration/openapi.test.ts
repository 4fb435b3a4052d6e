import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { RouteDef } from '#core/contract/define';
import { routes } from '#core/contract/index';
import { date, emptyBody, listOf, pageQuery, ulid } from '#core/contract/schemas/common';
import { Problem } from '#core/contract/schemas/responses/common';
import * as responseSchemas from '#core/contract/schemas/responses/index';
import { generateOpenApi, type OpenApiDocument } from '#functions/commons/openapi';
import { call } from '#tests/support/api';
import { createTestEnv } from '#tests/support/env';

type Json = Record<string, any>;

/** A route table that uses every feature of the generator, whatever the real table holds today. */
const Settings = z
  .strictObject({ color: z._default(z.string().check(z.maxLength(7)), '#000000') })
  .check(z.meta({ id: 'FixtureSettings', description: 'Display settings' }));
const Widget = z
  .object({ id: ulid('Widget id'), name: z.string(), settings: Settings, createdAt: z.string() })
  .check(z.meta({ id: 'FixtureWidget' }));
const WidgetInput = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(80)),
  settings: Settings,
});
const WidgetParams = z.strictObject({ branchId: ulid('Branch id'), widgetId: ulid('Widget id') });

/** The fixture routes' answers, by the names their responses give them. */
const fixtureSchemas = {
  Problem,
  Widget,
  WidgetPage: listOf(Widget),
  Dropped: z.object({ ok: z.boolean() }),
};

const fixture: RouteDef<keyof typeof fixtureSchemas>[] = [
  {
    method: 'POST',
    path: '/v1/widgets',
    function: 'fixture-create-widget',
    summary: 'Create a widget',
    tag: 'Widgets',
    auth: 'bearer',
    permission: 'queues:create',
    body: WidgetInput,
    idempotent: true,
    responses: {
      201: { description: 'The widget', schema: 'Widget' },
      409: { description: 'A widget with this name exists' },
    },
  },
  {
    method: 'GET',
    path: '/v1/widgets',
    function: 'fixture-list-widgets',
    summary: 'List widgets',
    tag: 'Widgets',
    auth: 'bearer',
    query: pageQuery(),
    responses: { 200: { description: 'One page', schema: 'WidgetPage' } },
  },
  {
    method: 'GET',
    path: '/v1/branches/{branchId}/widgets/{widgetId}',
    function: 'fixture-get-widget',
    summary: 'Read a widget',
    tag: 'Widgets',
    auth: 'bearer',
    permission: 'queues:read',
    params: WidgetParams,
    responses: { 200: { description: 'The widget', schema: 'Widget' } },
  },
  {
    method: 'POST',
    path: '/v1/branches/{branchId}/widgets/{widgetId}/poke',
    function: 'fixture-poke-widget',
    summary: 'Poke a widget',
    tag: 'Widgets',
    auth: 'bearer',
    permission: 'queues:update',
    params: WidgetParams,
    body: emptyBody(),
    responses: { 204: { description: 'Poked' } },
  },
  {
    method: 'GET',
    path: '/v1/widgets/{widgetId}/report',
    function: 'fixture-widget-report',
    summary: 'Widget report',
    tag: 'Reports',
    auth: 'bearer',
    permission: 'reports:read',
    query: z.strictObject({
      from: date(),
      format: z._default(z.enum(['json', 'csv']), 'json'),
    }),
    responses: {
      200: { description: 'The report as CSV', contentType: 'text/csv', headers: { ETag: 'Version' } },
    },
  },
  {
    method: 'DELETE',
    path: '/v1/public/widgets/{token}',
    function: 'fixture-public-delete',
    summary: 'Drop a widget by its public token',
    tag: 'Public',
    auth: 'none',
    requestHeaders: { 'If-Match': 'Only when the widget has this version' },
    responses: {
      200: { description: 'Dropped', schema: 'Dropped' },
      429: { description: 'Too many requests from this address' },
    },
  },
];

const execFileAsync = promisify(execFile);

/** Runs the Spectral CLI (the devDependency, with the repo's ruleset) and returns its findings. */
async function spectral(documents: Record<string, unknown>): Promise<Json[]> {
  const dir = mkdtempSync(join(tmpdir(), 'queueline-openapi-'));
  const files = Object.entries(documents).map(([name, document]) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(document));
    return file;
  });
  const { stdout } = await execFileAsync(
    'node_modules/.bin/spectral',
    [
      'lint',
      ...files,
      '--ruleset',
      '.spectral.yaml',
      '--format',
      'json',
      '--fail-severity',
      'error',
      '--quiet',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' }));
  return JSON.parse(stdout.trim() || '[]') as Json[];
}

/** Every `$ref` of the document, with where it occurs. */
function refs(value: unknown, path = '#'): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refs(v, `${path}/${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === '$ref' && typeof v === 'string' ? [[path, v] as [string, string]] : refs(v, `${path}/${k}`),
  );
}

const pointer = (document: unknown, ref: string) =>
  ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => node?.[key], document);

const operations = (document: OpenApiDocument) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Json })),
  );

describe('OpenAPI document of the real route table', () => {
  const document = generateOpenApi(routes, responseSchemas);

  it('is OpenAPI 3.1 with the package version and a relative server', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Queueline', version: pkg.version });
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('documents every route once, with its function as operationId', () => {
    const ops = operations(document);
    expect(ops).toHaveLength(routes.length);
    for (const r of routes) {
      const op = (document.paths[r.path]?.[r.method.toLowerCase()] ?? {}) as Json;
      expect(op.operationId, `${r.method} ${r.path}`).toBe(r.function);
      expect(op.summary).toBe(r.summary);
      expect(op.tags).toEqual([r.tag]);
      expect(op.security).toEqual(r.auth === 'bearer' ? [{ bearerAuth: [] }] : []);
      expect(op['x-required-permission']).toBe(r.permission);
      const pathParams = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect((op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name)).toEqual(
        pathParams,
      );
      for (const status of Object.keys(r.responses)) expect(op.responses).toHaveProperty(status);
      expect(op.responses).toHaveProperty('500');
      if (r.auth === 'bearer') expect(op.responses).toMatchObject({ 401: {}, 403: {} });
      if (r.body) expect(op.requestBody.content['application/json'].schema).toBeDefined();
    }
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
  });

  it('resolves every $ref and keeps no unused component', () => {
    for (const [at, ref] of refs(document)) expect(pointer(document, ref), `${ref} at ${at}`).toBeDefined();
    const used = new Set(refs(document).map(([, ref]) => ref));
    for (const kind of ['schemas', 'responses'] as const) {
      for (const name of Object.keys((document.components[kind] ?? {}) as Json)) {
        expect(used.has(`#/components/${kind}/${name}`), `${kind}/${name}`).toBe(true);
      }
    }
    expect(JSON.stringify(document)).not.toContain('$defs');
    expect(JSON.stringify(document)).not.toContain('\\u0000');
  });
});

describe('OpenAPI generator features (fixture routes)', () => {
  const document = generateOpenApi(fixture, fixtureSchemas);
  const op = (path: string, method: string) => document.paths[path]![method] as Json;

  it('hoists z.meta ids into components, naming a differing input variant <id>Input', () => {
    const schemas = document.components.schemas as Json;
    expect(Object.keys(schemas).sort()).toEqual(
      ['FixtureSettings', 'FixtureSettingsInput', 'FixtureWidget', 'Problem'].sort(),
    );
    expect(schemas.FixtureSettings.required).toEqual(['color']);
    expect(schemas.FixtureSettingsInput.required).toBeUndefined();
    expect(schemas.FixtureSettingsInput.properties.color.default).toBe('#000000');
    expect(schemas.FixtureWidget.properties.settings.$ref).toBe('#/components/schemas/FixtureSettings');
    const create = op('/v1/widgets', 'post');
    expect(create.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { additionalProperties: false } } },
    });
    expect(create.requestBody.content['application/json'].schema.properties.settings.$ref).toBe(
      '#/components/schemas/FixtureSettingsInput',
    );
    expect(create.responses[201].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/FixtureWidget',
    );
  });

  it('turns query properties into typed query parameters and path params into required ones', () => {
    const list = op('/v1/widgets', 'get');
    expect(list.parameters).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: expect.objectContaining({
          type: expect.stringMatching(/number|integer/),
          minimum: 1,
          maximum: 100,
        }),
      },
      {
        name: 'cursor',
        in: 'query',
        required: false,
        description: expect.stringContaining('nextCursor'),
        schema: expect.objectContaining({ type: 'string' }),
      },
    ]);
    expect(list.parameters[0].schema.default).toBe(50);
    const report = op('/v1/widgets/{widgetId}/report', 'get');
    expect(report.parameters.map((p: Json) => [p.name, p.in, p.required])).toEqual([
      ['widgetId', 'path', true],
      ['from', 'query', true],
      ['format', 'query', false],
    ]);
    expect(report.parameters[0].schema).toEqual({ type: 'string' });
    expect(report.parameters[2].schema).toMatchObject({ enum: ['json', 'csv'], default: 'json' });
    const get = op('/v1/branches/{branchId}/widgets/{widgetId}', 'get');
    expect(get.parameters).toEqual([
      expect.objectContaining({ name: 'branchId', in: 'path', required: true, description: 'Branch id' }),
      expect.objectContaining({ name: 'widgetId', in: 'path', required: true, description: 'Widget id' }),
    ]);
    expect(get.parameters[0].schema.pattern).toBe('^[0-9A-HJKMNP-TV-Z]{26}$');
  });

  it('adds the standard problem+json answers each route can produce', () => {
    const statuses = (path: string, method: string) => Object.keys(op(path, method).responses).map(Number);
    expect(statuses('/v1/widgets', 'post')).toEqual([201, 400, 401, 403, 409, 413, 415, 500, 503]);
    expect(statuses('/v1/widgets', 'get')).toEqual([200, 400, 401, 403, 500, 503]);
    expect(statuses('/v1/branches/{branchId}/widgets/{widgetId}', 'get')).toEqual([
      200, 400, 401, 403, 404, 500, 503,
    ]);
    expect(statuses('/v1/public/widgets/{token}', 'delete')).toEqual([200, 400, 404, 429, 500, 503]);
    const create = op('/v1/widgets', 'post');
    expect(create.responses[409]).toMatchObject({
      description: 'A widget with this name exists',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(create.responses[401]).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect((document.components.responses as Json).Unauthorized.headers['WWW-Authenticate']).toBeDefined();
    expect(op('/v1/public/widgets/{token}', 'delete').responses[429].headers['Retry-After']).toBeDefined();
    expect(create.responses[201].headers['Idempotent-Replayed']).toBeDefined();
  });

  it('documents security, permissions, headers and non-JSON bodies', () => {
    const create = op('/v1/widgets', 'post');
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(create['x-required-permission']).toBe('queues:create');
    expect(create.parameters).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ]);
    expect(op('/v1/widgets', 'get')).not.toHaveProperty('x-required-permission');
    const publicDelete = op('/v1/public/widgets/{token}', 'delete');
    expect(publicDelete.security).toEqual([]);
    expect(publicDelete.parameters).toContainEqual(
      expect.objectContaining({ name: 'If-Match', in: 'header', required: false }),
    );
    expect(op('/v1/branches/{branchId}/widgets/{widgetId}/poke', 'post').requestBody.required).toBe(false);
    expect(op('/v1/widgets/{widgetId}/report', 'get').responses[200]).toMatchObject({
      content: { 'text/csv': { schema: { type: 'string' } } },
      headers: { ETag: { schema: { type: 'string' } } },
    });
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
    expect(document.tags).toEqual([{ name: 'Widgets' }, { name: 'Reports' }, { name: 'Public' }]);
  });

  it('refuses two different schemas under one z.meta id', () => {
    const a = z.object({ a: z.string() }).check(z.meta({ id: 'FixtureClash' }));
    const b = z.object({ b: z.string() }).check(z.meta({ id: 'FixtureClash' }));
    const clash = (schema: 'a' | 'b'): RouteDef<'a' | 'b'> => ({
      method: 'GET',
      path: `/${schema}`,
      function: schema,
      summary: schema,
      tag: 'X',
      auth: 'none',
      responses: { 200: { description: 'x', schema } },
    });
    expect(() => generateOpenApi([clash('a'), clash('b')], { Problem, a, b })).toThrow(/FixtureClash/);
  });

  it('refuses a response naming no schema of the catalog', () => {
    const route: RouteDef<string> = {
      method: 'GET',
      path: '/x',
      function: 'x',
      summary: 'x',
      tag: 'X',
      auth: 'none',
      responses: { 200: { description: 'x', schema: 'Missing' } },
    };
    expect(() => generateOpenApi([route], { Problem })).toThrow(/no response schema named "Missing"/);
  });
});

describe('Spectral (spectral:oas, .spectral.yaml)', () => {
  it('finds no error in the real and the fixture documents', async () => {
    // The canary proves Spectral really ran: its path parameter is not declared (an error).
    const canary = generateOpenApi(fixture.slice(0, 1), fixtureSchemas);
    canary.paths['/v1/canary/{canaryId}'] = canary.paths['/v1/widgets']!;
    const all = await spectral({
      real: generateOpenApi(routes, responseSchemas),
      fixture: generateOpenApi(fixture, fixtureSchemas),
      canary,
    });
    expect(all.some((r) => r.source.endsWith('canary.json') && r.code === 'path-params')).toBe(true);
    const results = all.filter((r) => !r.source.endsWith('canary.json'));
    const errors = results.filter((r) => r.severity === 0);
    expect(errors.map((e) => `${e.code} ${e.path.join('.')}: ${e.message}`)).toEqual([]);
    // Warnings are allowed, but there should be few: keep an eye on them when this grows.
    expect(results.length).toBeLessThan(10);
  });
});

describe('GET /openapi.json and GET /docs through the middy chain', () => {
  beforeAll(async () => {
    await createTestEnv();
  });

  it('serves the generated document, the same on every call', async () => {
    const first = await call('GET', '/openapi.json');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.body).toEqual(JSON.parse(JSON.stringify(generateOpenApi(routes, responseSchemas))));
    const second = await call('GET', '/openapi.json');
    expect(second.text).toBe(first.text);
  });

  it('serves a Swagger UI page whose assets are same-origin files', async () => {
    const page = await call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const assets = [...page.text!.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(['docs/swagger-ui.css', 'docs/swagger-ui-bundle.js', 'docs/init.js']);
    for (const asset of assets) {
      const res = await call('GET', `/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers['content-type']).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      expect(res.text!.length).toBeGreaterThan(100);
    }
    expect((await call('GET', '/docs/init.js')).text).toContain("url: 'openapi.json'");
  });

  it.each([
    'index.html',
    'swagger-ui-bundle.js.map',
    'package.json',
    '..%2Fpackage.json',
    '..%2F..%2Fpackage.json',
    '%2Fetc%2Fpasswd',
    'toString',
    '__proto__',
  ])('answers 404 problem+json for /docs/%s', async (asset) => {
    const res = await call('GET', `/docs/${asset}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });
});
