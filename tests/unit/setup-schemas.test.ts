import { describe, expect, it } from 'vitest';
import { routes } from '#core/contract/index';
import { createBranchRoute } from '#core/contract/routes/setup/create-branch';
import { createCounterRoute } from '#core/contract/routes/setup/create-counter';
import { createPriorityRoute } from '#core/contract/routes/setup/create-priority';
import { updateQueueRoute } from '#core/contract/routes/setup/update-queue';

const setupRoutes = routes.filter((r) => ['Priorities', 'Branches', 'Queues', 'Counters'].includes(r.tag));

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('setup request schemas', () => {
  it('PATCH bodies take any non-empty subset of the create fields, and nothing else', () => {
    const patch = updateQueueRoute.body;
    expect(ok(patch, { status: 'paused' })).toBe(true);
    expect(ok(patch, { description: null })).toBe(true);
    expect(ok(patch, {})).toBe(false);
    expect(ok(patch, { status: 'paused', waiting: 0 })).toBe(false);
    expect(ok(patch, { prefix: 'abc' })).toBe(false);
  });

  it('create bodies reject unknown fields and fill no defaults (the use cases do)', () => {
    const create = createBranchRoute.body;
    expect(create.parse({ name: 'B', timezone: 'UTC' })).toEqual({ name: 'B', timezone: 'UTC' });
    expect(ok(create, { name: 'B', timezone: 'UTC', extra: 1 })).toBe(false);
  });

  it('texts are trimmed and bounded; names cannot be blank', () => {
    const create = createPriorityRoute.body;
    expect(create.parse({ name: '  General ', rank: 3 }).name).toBe('General');
    expect(ok(create, { name: '   ', rank: 3 })).toBe(false);
    expect(ok(create, { name: 'x'.repeat(100), rank: 3 })).toBe(true);
    expect(ok(create, { name: 'x'.repeat(101), rank: 3 })).toBe(false);
    expect(ok(create, { name: 'G', rank: 3, description: 'd'.repeat(501) })).toBe(false);
  });

  it('time zones must be IANA names Intl knows', () => {
    const create = createBranchRoute.body;
    for (const tz of ['Europe/Madrid', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+3']) {
      expect(ok(create, { name: 'B', timezone: tz }), tz).toBe(true);
    }
    for (const tz of ['Mars/Olympus', '+01:00', 'Europe/Madrid ; drop', '', 'x'.repeat(65)]) {
      expect(ok(create, { name: 'B', timezone: tz }), tz).toBe(false);
    }
  });

  it('counters need 1–32 distinct queue ids', () => {
    const create = createCounterRoute.body;
    const id = (n: number) => `01JD6Z3Q8M5V2X9K4T7R1N0B${String(n).padStart(2, '0')}`;
    expect(ok(create, { name: 'D', queueIds: [id(1)] })).toBe(true);
    expect(ok(create, { name: 'D', queueIds: Array.from({ length: 32 }, (_, i) => id(i)) })).toBe(true);
    expect(ok(create, { name: 'D', queueIds: Array.from({ length: 33 }, (_, i) => id(i)) })).toBe(false);
    expect(ok(create, { name: 'D', queueIds: [id(1), id(1)] })).toBe(false);
    expect(ok(create, { name: 'D', queueIds: [] })).toBe(false);
  });

  it('every setup route carries its permission and the function file named after it', () => {
    for (const r of setupRoutes) {
      expect(r.permission?.split(':')[0]).toMatch(/^(priorities|branches|queues|counters)$/);
      const action = { POST: 'create', GET: 'read', PATCH: 'update', DELETE: 'delete' }[r.method];
      expect(r.permission?.endsWith(`:${action}`)).toBe(true);
      expect(r.function).toMatch(/^(create|list|get|update|delete)-[a-z]+$/);
    }
    expect(setupRoutes).toHaveLength(20);
  });
});
