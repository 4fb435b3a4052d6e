import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { functions } from '#core/contract/functions';
import { routes } from '#core/contract/index';
import { enqueueRoute } from '#core/contract/routes/tickets/enqueue';
import { getTicketRoute } from '#core/contract/routes/tickets/get-ticket';
import { publicTicketRoute } from '#core/contract/routes/tickets/public-ticket';
import { endpoint } from '#functions/commons/auth';
import { publicEndpoint } from '#functions/commons/http';
import { ROOT } from '#scripts/build';

const registeredIds = () => [
  ...(z.globalRegistry as unknown as { _idmap: Map<string, unknown> })._idmap.keys(),
];

describe('the contract (core/contract)', () => {
  it('importing the whole table builds no response schema', async () => {
    // Runs before anything in this file imports core/contract/schemas/responses: response
    // schemas carry OpenAPI ids, request schemas none, so no id may be registered with zod yet.
    expect(registeredIds()).toEqual([]);
    const responseSchemas = await import('#core/contract/schemas/responses/index');
    expect(registeredIds()).toContain('Ticket');
    // Every answer a route documents names a schema of the catalog.
    for (const r of routes) {
      for (const [status, def] of Object.entries(r.responses)) {
        if (def.schema) expect(responseSchemas[def.schema], `${r.function} ${status}`).toBeDefined();
      }
    }
  });

  it('lists each function once, with its file under functions/', () => {
    const names = functions.map((f) => f.function);
    expect(new Set(names).size).toBe(names.length);
    const files = readdirSync(join(ROOT, 'functions'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3));
    expect(names.sort()).toEqual(files.sort());
  });

  it('gives every route a distinct method and path', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('endpoint', () => {
  it('an idempotent or rate-limited route needs its store, in the types and at load', () => {
    const impl = async () => ({ status: 204 });
    // @ts-expect-error enqueue is idempotent: the idempotency store is required
    expect(() => endpoint(enqueueRoute, impl)).toThrow(/idempotent/);
    // @ts-expect-error the public status is rate-limited: the request counter is required
    expect(() => publicEndpoint(publicTicketRoute, impl)).toThrow(/rate-limited/);
    const counter = async () => ({ count: 0, secondsLeft: 60 });
    // @ts-expect-error a request counter is not an idempotency store
    expect(() => endpoint(enqueueRoute, impl, { rateLimit: counter })).toThrow(/idempotent/);
    expect(endpoint(getTicketRoute, impl)).toBeTypeOf('function');
  });

  it('a bearer route takes endpoint (with the verifier), a public one publicEndpoint', () => {
    const impl = async () => ({ status: 204 });
    const countRequest = async () => ({ count: 0, secondsLeft: 60 });
    // @ts-expect-error getTicket needs a token: publicEndpoint would serve it unauthenticated
    expect(() => publicEndpoint(getTicketRoute, impl)).toThrow(/a bearer route, use endpoint/);
    expect(publicEndpoint(publicTicketRoute, impl, { rateLimit: countRequest })).toBeTypeOf('function');
    // A type error only (the bundle would carry the verifier for nothing): no token to verify.
    // @ts-expect-error
    endpoint(publicTicketRoute, impl, { rateLimit: countRequest });
  });
});
