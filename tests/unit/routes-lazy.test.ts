import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { lazy } from '#core/schemas/common';
import { endpoint } from '#functions/commons/auth';
import { publicEndpoint } from '#functions/commons/http';
import { route } from '#infra/routes/define';
import { routes } from '#infra/routes/index';
import { ticketRoutes } from '#infra/routes/tickets';

/**
 * Cold start: importing a function must not build its area's schemas (docs/performance.md §1).
 * The route table defers them; these checks keep it that way.
 */
const DEFERRED = ['params', 'query', 'body', 'responses'] as const;

describe('route table schemas are built on first read', () => {
  it('importing the whole table builds no schema', () => {
    // Runs before anything in this file reads an entry: every schema-bearing part is still a
    // getter, and no schema with an OpenAPI id has been registered with zod.
    for (const r of routes) {
      for (const key of DEFERRED) {
        const descriptor = Object.getOwnPropertyDescriptor(r, key);
        if (!descriptor || descriptor.get || descriptor.value === undefined) continue;
        // Only plain data may be given eagerly: responses without schemas.
        expect(key, `${r.function}.${key} is built at import`).toBe('responses');
        for (const def of Object.values(descriptor.value as Record<number, { schema?: unknown }>)) {
          expect(def.schema, `${r.function} has a response schema built at import`).toBeUndefined();
        }
      }
    }
    const ids = (z.globalRegistry as unknown as { _idmap: Map<string, unknown> })._idmap;
    expect([...ids.keys()]).toEqual([]);
  });

  it('a deferred part is built once, on its first read, and then is a plain value', () => {
    let builds = 0;
    const Body = lazy(() => {
      builds++;
      return z.strictObject({ name: z.string() });
    });
    let responseBuilds = 0;
    const entry = route({
      method: 'POST',
      path: '/v1/things',
      function: 'fixture-lazy',
      summary: 'Fixture',
      tag: 'Fixture',
      auth: 'none',
      body: Body,
      query: z.strictObject({}),
      responses: () => {
        responseBuilds++;
        return { 201: { description: 'Created', schema: Body() } };
      },
    });
    expect(builds).toBe(0);
    expect(responseBuilds).toBe(0);
    const body = entry.body;
    expect(body.safeParse({ name: 'x' }).success).toBe(true);
    expect(entry.body).toBe(body);
    expect(builds).toBe(1);
    expect(entry.responses[201].schema).toBe(body);
    expect(entry.responses).toBe(entry.responses);
    expect(responseBuilds).toBe(1);
    expect(Object.getOwnPropertyDescriptor(entry, 'body')).toMatchObject({ value: body, enumerable: true });
    expect({ ...entry }.body).toBe(body);
  });

  it('the entries of one area share the schemas they name', () => {
    expect(ticketRoutes.startTicket.params).toBe(ticketRoutes.completeTicket.params);
    expect(ticketRoutes.startTicket.body).toBe(ticketRoutes.callNext.body);
  });
});

describe('endpoint', () => {
  it('builds its own request schemas when created, and not its responses', () => {
    const built: string[] = [];
    const entry = route({
      method: 'POST',
      path: '/v1/things/{thingId}',
      function: 'fixture-endpoint',
      summary: 'Fixture',
      tag: 'Fixture',
      auth: 'none',
      params: () => {
        built.push('params');
        return z.strictObject({ thingId: z.string() });
      },
      body: () => {
        built.push('body');
        return z.strictObject({});
      },
      responses: () => {
        built.push('responses');
        return { 204: { description: 'Done' } };
      },
    });
    publicEndpoint(entry, async () => ({ status: 204 }));
    expect(built).toEqual(['params', 'body']);
  });

  it('an idempotent or rate-limited route needs its store, in the types and at load', () => {
    const impl = async () => ({ status: 204 });
    // @ts-expect-error enqueue is idempotent: the idempotency store is required
    expect(() => endpoint(ticketRoutes.enqueue, impl)).toThrow(/idempotent/);
    // @ts-expect-error the public status is rate-limited: the request counter is required
    expect(() => publicEndpoint(ticketRoutes.publicTicket, impl)).toThrow(/rate-limited/);
    const counter = async () => ({ count: 0, secondsLeft: 60 });
    // @ts-expect-error a request counter is not an idempotency store
    expect(() => endpoint(ticketRoutes.enqueue, impl, { rateLimit: counter })).toThrow(/idempotent/);
    expect(endpoint(ticketRoutes.getTicket, impl)).toBeTypeOf('function');
  });

  it('a bearer route takes endpoint (with the verifier), a public one publicEndpoint', () => {
    const impl = async () => ({ status: 204 });
    const countRequest = async () => ({ count: 0, secondsLeft: 60 });
    // @ts-expect-error getTicket needs a token: publicEndpoint would serve it unauthenticated
    expect(() => publicEndpoint(ticketRoutes.getTicket, impl)).toThrow(/a bearer route, use endpoint/);
    expect(publicEndpoint(ticketRoutes.publicTicket, impl, { rateLimit: countRequest })).toBeTypeOf(
      'function',
    );
    // A type error only (the bundle would carry the verifier for nothing): no token to verify.
    // @ts-expect-error
    endpoint(ticketRoutes.publicTicket, impl, { rateLimit: countRequest });
  });
});
