import * as z from 'zod/mini';
import type { ResponseDef, RouteDef } from '#core/contract/define';
import { version } from '#package.json';

/**
 * The OpenAPI 3.1 document of Queueline, generated from THE route table, the very zod schemas
 * that validate requests, and the response schemas the routes name. Request parts are described as the client sends them (`io: input`),
 * responses as the API returns them (`io: output`). Schemas carrying `z.meta({ id })` become
 * `components/schemas` entries; when one id looks different as input and as output (defaults,
 * transforms, stripped unknown keys) the input variant is named `<id>Input`.
 */

type Json = Record<string, unknown>;
/** A route of any table: the real one, or a test's whose responses name schemas of their own. */
type AnyRoute = RouteDef<string>;
type Io = 'input' | 'output';

const SCHEMA_REF = '#/components/schemas/';
const PLACEHOLDER = '\u0000ref:';
const NAME_PATTERN = /[^A-Za-z0-9._-]/g;

const DESCRIPTION = `Multi-tenant service-queue management: organisations with branch offices issue tickets into
priority queues, agents at counters call the next customer, managers read service reports.

- Authenticate with \`POST /v1/auth/login\` and send \`Authorization: Bearer <accessToken>\`.
  Each operation lists the permission it needs under \`x-required-permission\`.
- Errors are RFC 9457 \`application/problem+json\` documents; validation errors list \`errors: [{ path, message }]\`.
- Lists take \`limit\` (1–100, default 50) and \`cursor\` and answer \`{ items, nextCursor }\`. A cursor is
  opaque and sealed: only the \`nextCursor\` of this very list (same path and filters), sent back by the
  same user, is accepted; any other is a 400 naming \`query.cursor\`.
- Bodies are JSON: a body whose \`Content-Type\` is not \`application/json\` (or \`…+json\`) is a 415.
- \`HEAD\` is answered wherever \`GET\` is (same status and headers, no body). A path of this API asked
  with a method it does not take answers 405 with an \`Allow\` header listing those it takes; an unknown
  path answers 404.
- Every response carries \`X-Request-Id\` and \`X-Content-Type-Options: nosniff\`; \`/v1\` responses are
  \`Cache-Control: no-store\` unless an operation says otherwise (they may carry tokens).`;

/** Hoists `z.meta({ id })` schemas out of each conversion and names them once for the document. */
class SchemaCatalog {
  /** `${id}\0${io}` → canonical JSON of the definition. */
  private readonly variants = new Map<string, string>();
  private conversions = 0;

  convert(schema: z.ZodMiniType, io: Io, scope: string): Json {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as Json;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$defs;
    // Ids set with z.meta are global; anything else (cycle breakers like `schema0`) is local to
    // this conversion and gets a name scoped to the operation and the conversion.
    const conversion = ++this.conversions;
    const renamed = new Map<string, string>();
    for (const name of Object.keys(defs)) {
      renamed.set(name, isRegisteredId(name) ? name : `${scope}.${conversion}.${name}`);
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (!value || typeof value !== 'object') return value;
      const out: Json = {};
      for (const [key, v] of Object.entries(value)) {
        if (key === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
          const name = decodeURIComponent(v.slice('#/$defs/'.length).replace(/~1/g, '/').replace(/~0/g, '~'));
          out.$ref = `${PLACEHOLDER}${renamed.get(name) ?? name}\u0000${io}`;
        } else out[key] = rewrite(v);
      }
      // z.int() states the safe-integer range; that is JavaScript's limit, not the API's.
      if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
      if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
      return out;
    };
    for (const [name, def] of Object.entries(defs)) {
      const id = renamed.get(name)!;
      const key = `${id}\u0000${io}`;
      const canonical = JSON.stringify(rewrite(def));
      const known = this.variants.get(key);
      if (known !== undefined && known !== canonical) {
        throw new Error(`OpenAPI: two different schemas share the id "${id}" (z.meta ids must be unique)`);
      }
      this.variants.set(key, canonical);
    }
    return rewrite(json) as Json;
  }

  /** The definition behind a placeholder `$ref`, for callers that need an object's properties. */
  resolve(json: Json): Json {
    const ref = json.$ref;
    if (typeof ref !== 'string' || !ref.startsWith(PLACEHOLDER)) return json;
    const def = this.variants.get(ref.slice(PLACEHOLDER.length));
    return def === undefined ? json : this.resolve(JSON.parse(def) as Json);
  }

  /** Final component names, and the document with every placeholder replaced by a real `$ref`. */
  finish<T>(document: T): { document: T; schemas: Record<string, Json> } {
    // Only what the document reaches: conversions made just to read a parameter's output type
    // must not leave unused components behind.
    const reached = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) {
          if (key === '$ref' && typeof v === 'string' && v.startsWith(PLACEHOLDER)) {
            const variant = v.slice(PLACEHOLDER.length);
            if (reached.has(variant)) continue;
            reached.add(variant);
            visit(JSON.parse(this.variants.get(variant) ?? '{}'));
          } else visit(v);
        }
      }
    };
    visit(document);
    const byId = new Map<string, Partial<Record<Io, string>>>();
    for (const key of reached) {
      const [id, io] = key.split('\u0000') as [string, Io];
      byId.set(id, { ...byId.get(id), [io]: this.variants.get(key) });
    }
    const names = new Map<string, string>();
    const schemas: Record<string, Json> = {};
    const claim = (key: string, name: string, canonical: string) => {
      const safe = name.replace(NAME_PATTERN, '_');
      if (schemas[safe] !== undefined && JSON.stringify(schemas[safe]) !== canonical) {
        throw new Error(`OpenAPI: component name "${safe}" is used by two different schemas`);
      }
      names.set(key, safe);
      schemas[safe] = JSON.parse(canonical) as Json;
    };
    for (const [id, { input, output }] of [...byId].sort(([a], [b]) => a.localeCompare(b))) {
      if (output !== undefined) claim(`${id}\u0000output`, id, output);
      if (input !== undefined)
        claim(`${id}\u0000input`, output === undefined || output === input ? id : `${id}Input`, input);
    }
    const replace = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(replace);
      if (!value || typeof value !== 'object') return value;
      const out: Json = {};
      for (const [key, v] of Object.entries(value)) {
        out[key] =
          key === '$ref' && typeof v === 'string' && v.startsWith(PLACEHOLDER)
            ? `${SCHEMA_REF}${names.get(v.slice(PLACEHOLDER.length))}`
            : replace(v);
      }
      return out;
    };
    const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
    return { document: replace(document) as T, schemas: replace(sorted) as Record<string, Json> };
  }
}

function isRegisteredId(name: string): boolean {
  const idmap = (z.globalRegistry as unknown as { _idmap?: Map<string, unknown> })._idmap;
  return idmap ? idmap.has(name) : !/^(__)?schema\d+$/.test(name);
}

const PARAM_TYPES = new Set(['number', 'integer', 'boolean']);

/**
 * Path and query values travel as strings and are coerced by the schema (`"20"` → 20). OpenAPI
 * describes a parameter by its value, so a coerced parameter is documented by its output schema.
 */
function parameterSchemas(catalog: SchemaCatalog, schema: z.ZodMiniType, scope: string) {
  const input = catalog.resolve(catalog.convert(schema, 'input', scope));
  const output = catalog.resolve(catalog.convert(schema, 'output', scope));
  const properties = (input.properties ?? {}) as Record<string, Json>;
  const typed = (output.properties ?? {}) as Record<string, Json>;
  const required = new Set((input.required ?? []) as string[]);
  return Object.entries(properties).map(([name, raw]) => {
    const resolved = catalog.resolve(raw);
    const coerced = typed[name] && catalog.resolve(typed[name]);
    const useOutput =
      resolved.type === 'string' && coerced && PARAM_TYPES.has(String(coerced.type)) ? coerced : undefined;
    const { description, ...rest } = useOutput ?? raw;
    return {
      name,
      required: required.has(name),
      description: (description ?? resolved.description) as string | undefined,
      schema: rest,
    };
  });
}

interface StandardError {
  status: number;
  name: string;
  description: string;
  applies: (route: AnyRoute) => boolean;
  headers?: Json;
}

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 1 },
  },
};

const hasBody = (route: AnyRoute) =>
  route.body !== undefined || route.method === 'POST' || route.method === 'PATCH';

/** The problem+json answers the middy chain and the runtime can give, beyond what a route documents. */
const STANDARD_ERRORS: StandardError[] = [
  {
    status: 400,
    name: 'BadRequest',
    description: 'Invalid path, query or body (malformed JSON and unknown fields included)',
    applies: (r) =>
      r.params !== undefined || r.query !== undefined || hasBody(r) || r.path.startsWith('/v1/'),
  },
  {
    status: 401,
    name: 'Unauthorized',
    description: 'Missing, malformed, expired or otherwise invalid access token',
    applies: (r) => r.auth === 'bearer',
    headers: {
      'WWW-Authenticate': { description: 'Always `Bearer`', schema: { type: 'string', const: 'Bearer' } },
    },
  },
  {
    status: 403,
    name: 'Forbidden',
    description: 'The access token lacks the permission or the branch scope',
    applies: (r) => r.auth === 'bearer',
  },
  {
    status: 404,
    name: 'NotFound',
    description: 'Not found (also for ids of another tenant)',
    applies: (r) => r.path.includes('{'),
  },
  {
    status: 409,
    name: 'Conflict',
    description: 'The Idempotency-Key was used with a different request, or that request is still running',
    applies: (r) => r.idempotent === true,
  },
  {
    status: 413,
    name: 'PayloadTooLarge',
    description: 'The body exceeds 64 KiB',
    applies: hasBody,
  },
  {
    status: 415,
    name: 'UnsupportedMediaType',
    description: 'A body was sent with a `Content-Type` other than `application/json` (or `…+json`)',
    applies: (r) => r.body !== undefined,
  },
  {
    status: 429,
    name: 'TooManyRequests',
    description: 'Too many requests; retry after `Retry-After` seconds',
    applies: (r) => Boolean(r.rateLimits?.length),
    headers: RETRY_AFTER,
  },
  {
    status: 503,
    name: 'ServiceUnavailable',
    description:
      'Storage is busy, throttled, unreachable or too slow (answered within 10 s); retry after `Retry-After` seconds',
    applies: (r) => r.path.startsWith('/v1/'),
    headers: RETRY_AFTER,
  },
  {
    status: 500,
    name: 'InternalError',
    description: 'Unexpected error (never exposes internals)',
    applies: () => true,
  },
];

const headerSchema = (name: string) =>
  name.toLowerCase() === 'retry-after' ? { type: 'integer', minimum: 1 } : { type: 'string' };

function responseHeaders(headers: Record<string, string> | undefined): Json | undefined {
  if (!headers || Object.keys(headers).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(headers).map(([name, description]) => [name, { description, schema: headerSchema(name) }]),
  );
}

/** The response schema a route names. */
type Named = (name: string) => z.ZodMiniType;

function problemContent(catalog: SchemaCatalog, named: Named) {
  return { 'application/problem+json': { schema: catalog.convert(named('Problem'), 'output', 'Problem') } };
}

function responseObject(
  catalog: SchemaCatalog,
  named: Named,
  route: AnyRoute,
  status: number,
  def: ResponseDef<string>,
  scope: string,
): Json {
  const standard = STANDARD_ERRORS.find((e) => e.status === status);
  const headers = {
    ...standard?.headers,
    ...(status < 300 && route.idempotent
      ? {
          'Idempotent-Replayed': {
            description: '`true` when this is the stored answer to an earlier request with the same key',
            schema: { type: 'string', const: 'true' },
          },
        }
      : {}),
    ...responseHeaders(def.headers),
  };
  const out: Json = { description: def.description };
  if (Object.keys(headers).length > 0) out.headers = headers;
  if (def.schema) {
    const contentType = def.contentType ?? (status >= 400 ? 'application/problem+json' : 'application/json');
    out.content = { [contentType]: { schema: catalog.convert(named(def.schema), 'output', scope) } };
  } else if (def.contentType) {
    out.content = { [def.contentType]: { schema: { type: 'string' } } };
  } else if (status >= 400) {
    out.content = problemContent(catalog, named);
  }
  return out;
}

function describeAccess(route: AnyRoute): string {
  const access =
    route.auth === 'none'
      ? 'Public: no access token needed.'
      : route.permission
        ? `Requires the permission \`${route.permission}\`.`
        : 'Requires an access token; no particular permission.';
  const idempotency = route.idempotent
    ? ' Send an `Idempotency-Key` to make retries safe: a repeat within 24 hours returns the first answer.'
    : '';
  const limits = route.rateLimits?.length
    ? ` Rate-limited: ${route.rateLimits.map(describeLimit).join('; ')}.`
    : '';
  return `${access}${idempotency}${limits}`;
}

function describeLimit({ per, limit, windowSeconds }: NonNullable<AnyRoute['rateLimits']>[number]): string {
  const [n, unit] =
    windowSeconds % 3600 === 0
      ? [windowSeconds / 3600, 'hour']
      : windowSeconds % 60 === 0
        ? [windowSeconds / 60, 'minute']
        : [windowSeconds, 'second'];
  const window = n === 1 ? unit : `${n} ${unit}s`;
  return `${limit} requests per ${window} ${per === 'ip' ? 'per client address' : 'from all clients together'}`;
}

function operation(catalog: SchemaCatalog, named: Named, route: AnyRoute, used: Set<string>): Json {
  const scope = route.function;
  const parameters: Json[] = [];
  const pathNames = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const documented = route.params ? parameterSchemas(catalog, route.params, scope) : [];
  for (const name of pathNames) {
    const p = documented.find((d) => d.name === name);
    parameters.push({
      name,
      in: 'path',
      required: true,
      ...(p?.description && { description: p.description }),
      schema: p?.schema ?? { type: 'string' },
    });
  }
  if (route.query) {
    for (const p of parameterSchemas(catalog, route.query, scope)) {
      parameters.push({
        name: p.name,
        in: 'query',
        required: p.required,
        ...(p.description && { description: p.description }),
        schema: p.schema,
      });
    }
  }
  const headers: Record<string, string> = { ...route.requestHeaders };
  if (route.idempotent && !Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key')) {
    headers['Idempotency-Key'] =
      'Makes the request safe to retry: the same key within 24 hours returns the first response';
  }
  for (const [name, description] of Object.entries(headers)) {
    // OpenAPI ignores these as parameters: they are described by security and requestBody.
    if (['authorization', 'content-type', 'accept'].includes(name.toLowerCase())) continue;
    parameters.push({
      name,
      in: 'header',
      required: false,
      description,
      schema:
        name.toLowerCase() === 'idempotency-key'
          ? { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' }
          : { type: 'string' },
    });
  }

  const responses: Json = {};
  const statuses = new Set(Object.keys(route.responses).map(Number));
  for (const e of STANDARD_ERRORS) if (e.applies(route)) statuses.add(e.status);
  for (const status of [...statuses].sort((a, b) => a - b)) {
    const def = route.responses[status];
    if (def) responses[status] = responseObject(catalog, named, route, status, def, scope);
    else {
      const standard = STANDARD_ERRORS.find((e) => e.status === status)!;
      used.add(standard.name);
      responses[status] = { $ref: `#/components/responses/${standard.name}` };
    }
  }

  const op: Json = {
    operationId: route.function,
    summary: route.summary,
    description: describeAccess(route),
    tags: [route.tag],
    security: route.auth === 'bearer' ? [{ bearerAuth: [] }] : [],
  };
  if (parameters.length > 0) op.parameters = parameters;
  if (route.body) {
    op.requestBody = {
      required: !route.body.safeParse({}).success,
      content: { 'application/json': { schema: catalog.convert(route.body, 'input', scope) } },
    };
  }
  op.responses = responses;
  if (route.permission) op['x-required-permission'] = route.permission;
  return op;
}

export interface OpenApiDocument {
  openapi: string;
  info: Json;
  paths: Record<string, Record<string, Json>>;
  components: Json;
  [key: string]: unknown;
}

/**
 * The document of `routes`, whose responses name their schemas in `responseSchemas`
 * (core/contract/schemas/responses), `Problem` among them: the body of every error.
 */
export function generateOpenApi<Name extends string>(
  routes: readonly RouteDef<Name>[],
  responseSchemas: Readonly<Record<Name | 'Problem', z.ZodMiniType>>,
): OpenApiDocument {
  const catalog = new SchemaCatalog();
  const named = (name: string) => {
    const schema = (responseSchemas as Record<string, z.ZodMiniType | undefined>)[name];
    if (!schema) throw new Error(`OpenAPI: no response schema named "${name}"`);
    return schema;
  };
  const used = new Set<string>();
  const paths: Record<string, Record<string, Json>> = {};
  const tags: string[] = [];
  for (const route of routes) {
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: operation(catalog, named, route, used),
    };
    if (!tags.includes(route.tag)) tags.push(route.tag);
  }
  const responses: Json = {};
  for (const e of STANDARD_ERRORS) {
    if (!used.has(e.name)) continue;
    responses[e.name] = {
      description: e.description,
      ...(e.headers && { headers: e.headers }),
      content: problemContent(catalog, named),
    };
  }
  const { document, schemas } = catalog.finish({ paths, responses });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Queueline',
      version,
      description: DESCRIPTION,
      contact: { name: 'Queueline', url: 'https://queueline.dev' },
    },
    servers: [{ url: '/', description: 'This deployment' }],
    tags: tags.map((name) => ({ name })),
    paths: document.paths,
    components: {
      schemas,
      responses: document.responses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Access token from `POST /v1/auth/login` (15 minutes)',
        },
      },
    },
  };
}
