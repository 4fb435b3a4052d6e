import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { branchesRef, branchKey, DUE_PARTITION } from '#core/adapters/dynamo/items/branch';
import { queueKey } from '#core/adapters/dynamo/items/queue';
import { businessDayOf } from '#core/domain/business-day';
import { currentDayEnd } from '#core/domain/setup-rules';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { ISO_MS, ULID } from '#tests/support/rules';
import {
  addWaiting,
  allPages,
  created,
  giveCurrentTicket,
  newTenant,
  setupApi,
  storedItem,
} from '#tests/support/setup-fixtures';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

const branchItem = async (tenantId: string, branchId: string) =>
  (await storedItem(branchKey(tenantId, branchId)))!;

describe('POST /v1/branches', () => {
  it('creates a branch with defaults, its business day and its due entry', async () => {
    const { tenantId, token } = await newTenant(env);
    const before = new Date();
    const res = await call('POST', '/v1/branches', {
      token,
      body: { name: 'Main', timezone: 'Europe/Madrid' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      name: 'Main',
      timezone: 'Europe/Madrid',
      resetHour: 3,
      agingMinutes: 15,
      address: null,
      language: 'en',
      printTickets: false,
      notifyAtPosition: 3,
      remoteJoin: { enabled: false, maxWaiting: null },
      contactRetentionHours: 24,
      businessDay: businessDayOf(before, 'Europe/Madrid', 3),
      createdAt: expect.any(String),
      updatedAt: res.body.createdAt,
    });
    const item = await branchItem(tenantId, res.body.id);
    expect(item).toMatchObject({
      closeEpoch: 0,
      lastClosedDay: null,
      refPk: branchesRef(tenantId),
      refSk: res.body.id,
      duePk: DUE_PARTITION,
      dueSk: `${currentDayEnd(before, 'Europe/Madrid', 3).toISOString()}#${tenantId}#${res.body.id}`,
    });
  });

  it('keeps resetHour, agingMinutes 0 (no aging) and address', async () => {
    const { token } = await newTenant(env);
    const body = {
      name: 'Tokyo',
      timezone: 'Asia/Tokyo',
      resetHour: 0,
      agingMinutes: 0,
      address: '1-1 Chiyoda',
    };
    const res = await call('POST', '/v1/branches', { token, body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(body);
    expect(res.body.businessDay).toBe(businessDayOf(new Date(), 'Asia/Tokyo', 0));
  });

  it.each([
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'body.timezone'],
    ['a time zone that is not a name', { timezone: '+02:00' }, 'body.timezone'],
    ['resetHour 24', { resetHour: 24 }, 'body.resetHour'],
    ['negative agingMinutes', { agingMinutes: -1 }, 'body.agingMinutes'],
    ['agingMinutes over a day', { agingMinutes: 1441 }, 'body.agingMinutes'],
    ['an unknown field', { closeEpoch: 3 }, 'body.closeEpoch'],
  ])('400 for %s', async (_, extra, path) => {
    const { token } = await newTenant(env);
    const res = await call('POST', '/v1/branches', { token, body: { name: 'B', timezone: 'UTC', ...extra } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe('GET /v1/branches', () => {
  it('pages through the tenant’s branches, oldest first, without deleted ones', async () => {
    const { token } = await newTenant(env);
    const api = setupApi(token);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await api.branch({ name: `B${i}` })).id);
    await setupApi((await newTenant(env)).token).branch({ name: 'Other tenant' });
    expect((await call('DELETE', `/v1/branches/${ids[2]}`, { token })).status).toBe(204);

    const { items } = await allPages(token, '/v1/branches', 2);
    expect(items.map((b) => b.id)).toEqual([ids[0], ids[1], ids[3], ids[4]]);
    expect(items[0].businessDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('shows a user limited to some branches only those', async () => {
    const { tenantId, token } = await newTenant(env);
    const api = setupApi(token);
    const [a, b, c] = [await api.branch(), await api.branch(), await api.branch()];
    const scoped = await mintToken(env.signingKey, {
      tenantId,
      role: 'manager',
      branches: [c.id, a.id, ulid()],
    });
    const { items, pages } = await allPages(scoped, '/v1/branches', 1);
    expect(items.map((x) => x.id)).toEqual([a.id, c.id]);
    expect(pages).toBe(2);
    expect(items.map((x) => x.id)).not.toContain(b.id);
  });

  it('400 for a cursor of another tenant', async () => {
    const a = await newTenant(env);
    const b = await newTenant(env);
    for (const t of [a, b]) for (let i = 0; i < 2; i++) await setupApi(t.token).branch();
    const cursor = (await call('GET', '/v1/branches', { token: b.token, query: { limit: '1' } })).body
      .nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const res = await call('GET', '/v1/branches', { token: a.token, query: { cursor } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'query.cursor', message: 'Invalid cursor' }]);
  });
});

describe('GET/PATCH/DELETE /v1/branches/{branchId}', () => {
  it('reads one; 404 for another tenant and unknown ids; 403 outside the branch scope', async () => {
    const { tenantId, token } = await newTenant(env);
    const branch = await setupApi(token).branch({ address: 'Gran Vía 1' });
    const res = await call('GET', `/v1/branches/${branch.id}`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(branch);

    const other = await newTenant(env);
    for (const [method, body] of [['GET'], ['PATCH', { name: 'X' }], ['DELETE']] as const) {
      const r = await call(method, `/v1/branches/${branch.id}`, { token: other.token, body });
      expect(r.status).toBe(404);
    }
    expect((await call('GET', `/v1/branches/${ulid()}`, { token })).status).toBe(404);

    const outside = await mintToken(env.signingKey, { tenantId, role: 'manager', branches: [ulid()] });
    for (const [method, body] of [['GET'], ['PATCH', { name: 'X' }], ['DELETE']] as const) {
      const r = await call(method, `/v1/branches/${branch.id}`, { token: outside, body });
      expect(r.status).toBe(403);
      expect(r.body.type).toMatch(/branch-scope$/);
    }
    // A scoped user still gets 404 (not 403) for a branch that does not exist.
    expect((await call('GET', `/v1/branches/${ulid()}`, { token: outside })).status).toBe(404);
    expect((await call('GET', `/v1/branches/${branch.id}`, { token })).body.name).toBe(branch.name);
  });

  it('patches fields and reschedules the close when resetHour or timezone change', async () => {
    const { tenantId, token } = await newTenant(env);
    const branch = await setupApi(token).branch({ timezone: 'UTC', resetHour: 3 });
    const res = await call('PATCH', `/v1/branches/${branch.id}`, {
      token,
      body: { name: 'Renamed', address: 'Somewhere', agingMinutes: 0 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', address: 'Somewhere', agingMinutes: 0, resetHour: 3 });
    const dueBefore = (await branchItem(tenantId, branch.id)).dueSk;

    const now = new Date();
    const moved = await call('PATCH', `/v1/branches/${branch.id}`, {
      token,
      body: { timezone: 'Pacific/Kiritimati', resetHour: 5 },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.businessDay).toBe(businessDayOf(now, 'Pacific/Kiritimati', 5));
    const item = await branchItem(tenantId, branch.id);
    const newEnd = currentDayEnd(now, 'Pacific/Kiritimati', 5).toISOString();
    // The earlier of the two closes wins: a close already scheduled is never postponed.
    const expected = [dueBefore.split('#')[0], newEnd].sort()[0];
    expect(item.dueSk).toBe(`${expected}#${tenantId}#${branch.id}`);
    expect(item).toMatchObject({ closeEpoch: 0, lastClosedDay: null, timezone: 'Pacific/Kiritimati' });
  });

  it('400 for a bad timezone or an empty PATCH', async () => {
    const { token } = await newTenant(env);
    const branch = await setupApi(token).branch();
    for (const body of [{ timezone: 'Nowhere/Land' }, {}, { resetHour: -1 }]) {
      expect((await call('PATCH', `/v1/branches/${branch.id}`, { token, body })).status).toBe(400);
    }
  });

  it('soft-deletes: 404 afterwards, index entries removed, the record kept', async () => {
    const { tenantId, token } = await newTenant(env);
    const branch = await setupApi(token).branch();
    const res = await call('DELETE', `/v1/branches/${branch.id}`, { token });
    expect(res.status).toBe(204);
    expect((await call('GET', `/v1/branches/${branch.id}`, { token })).status).toBe(404);
    expect((await call('PATCH', `/v1/branches/${branch.id}`, { token, body: { name: 'X' } })).status).toBe(
      404,
    );
    expect((await call('DELETE', `/v1/branches/${branch.id}`, { token })).status).toBe(404);
    expect((await call('GET', `/v1/branches/${branch.id}/queues`, { token })).status).toBe(404);
    const item = await branchItem(tenantId, branch.id);
    expect(item.deletedAt).toEqual(expect.any(String));
    expect(item.name).toBe('Main');
    for (const key of ['refPk', 'refSk', 'duePk', 'dueSk']) expect(item).not.toHaveProperty(key);
  });

  it('takes its queues and counters along, so their priority can be deleted', async () => {
    const { tenantId, token } = await newTenant(env);
    const api = setupApi(token);
    const p = await api.priority();
    const branch = await api.branch();
    const q = await api.queue(branch.id, { prefix: 'G', priorityId: p.id });
    await api.counter(branch.id, { queueIds: [q.id] });
    expect((await call('DELETE', `/v1/priorities/${p.id}`, { token })).status).toBe(409);

    expect((await call('DELETE', `/v1/branches/${branch.id}`, { token })).status).toBe(204);
    const item = await storedItem(queueKey(tenantId, branch.id, q.id));
    expect(item).toMatchObject({ deletedAt: expect.any(String) });
    expect(item).not.toHaveProperty('refPk');
    expect((await call('DELETE', `/v1/priorities/${p.id}`, { token })).status).toBe(204);
  });

  it('409 while tickets wait in one of its queues or a counter has a ticket', async () => {
    const { tenantId, token } = await newTenant(env);
    const api = setupApi(token);
    const p = await api.priority();
    const branch = await api.branch();
    const q = await api.queue(branch.id, { prefix: 'G', priorityId: p.id });
    const c = await api.counter(branch.id, { queueIds: [q.id] });

    await addWaiting(tenantId, branch.id, q.id, 3, 2);
    const waiting = await call('DELETE', `/v1/branches/${branch.id}`, { token });
    expect(waiting.status).toBe(409);
    expect(waiting.body.type).toMatch(/tickets-waiting$/);

    await addWaiting(tenantId, branch.id, q.id, 3, -2);
    await giveCurrentTicket(tenantId, branch.id, c.id);
    const busy = await call('DELETE', `/v1/branches/${branch.id}`, { token });
    expect(busy.status).toBe(409);
    expect(busy.body.type).toMatch(/counter-busy$/);
    expect((await call('GET', `/v1/branches/${branch.id}`, { token })).status).toBe(200);
  });

  it('403 for a role without branches:delete, before anything else', async () => {
    const { tenantId } = await newTenant(env);
    const agent = await mintToken(env.signingKey, { tenantId, role: 'agent' });
    expect((await call('DELETE', `/v1/branches/${ulid()}`, { token: agent })).status).toBe(403);
    expect((await call('GET', `/v1/branches/${ulid()}`, { token: agent })).status).toBe(404);
  });
});

describe('branches: shapes and rules', () => {
  let token: string;
  beforeAll(async () => {
    token = (await newTenant(env)).token;
  });

  it('201 { id, name, timezone, resetHour, agingMinutes, address, businessDay, createdAt, updatedAt } with defaults', async () => {
    const b = await created(token, '/v1/branches', { name: 'Centro', timezone: 'America/Bogota' });
    expect(b).toEqual({
      id: expect.stringMatching(ULID),
      name: 'Centro',
      timezone: 'America/Bogota',
      resetHour: 3,
      agingMinutes: 15,
      address: null,
      language: 'en',
      printTickets: false,
      notifyAtPosition: 3,
      remoteJoin: { enabled: false, maxWaiting: null },
      contactRetentionHours: 24,
      businessDay: businessDayOf(new Date(), 'America/Bogota', 3),
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
  });

  it('language is a BCP 47 tag kept in canonical spelling; the customer settings are bounded (400) and PATCHable', async () => {
    for (const body of [
      { name: 'x', timezone: 'UTC', language: 'Spanish' },
      { name: 'x', timezone: 'UTC', language: 'e' },
      { name: 'x', timezone: 'UTC', language: 'es_ES' },
      { name: 'x', timezone: 'UTC', notifyAtPosition: 0 },
      { name: 'x', timezone: 'UTC', notifyAtPosition: 51 },
      { name: 'x', timezone: 'UTC', contactRetentionHours: -1 },
      { name: 'x', timezone: 'UTC', contactRetentionHours: 8761 },
      { name: 'x', timezone: 'UTC', printTickets: 'yes' },
      { name: 'x', timezone: 'UTC', remoteJoin: { maxWaiting: 5 } },
      { name: 'x', timezone: 'UTC', remoteJoin: { enabled: true, maxWaiting: 0 } },
      { name: 'x', timezone: 'UTC', remoteJoin: { enabled: true, extra: 1 } },
    ]) {
      expect((await call('POST', '/v1/branches', { token, body })).status, JSON.stringify(body)).toBe(400);
    }
    const b = await created(token, '/v1/branches', {
      name: 'Madrid',
      timezone: 'Europe/Madrid',
      language: 'ES-es',
      printTickets: true,
      notifyAtPosition: 5,
      remoteJoin: { enabled: true, maxWaiting: 20 },
      contactRetentionHours: 0,
    });
    expect(b).toMatchObject({
      language: 'es-ES',
      printTickets: true,
      notifyAtPosition: 5,
      remoteJoin: { enabled: true, maxWaiting: 20 },
      contactRetentionHours: 0,
    });
    const patched = await call('PATCH', `/v1/branches/${b.id}`, {
      token,
      body: { language: 'en', remoteJoin: { enabled: false } },
    });
    expect(patched.body).toMatchObject({
      language: 'en',
      printTickets: true,
      remoteJoin: { enabled: false, maxWaiting: null },
    });
    expect((await call('GET', `/v1/branches/${b.id}`, { token })).body).toEqual(patched.body);
  });

  it('timezone is an IANA name (invalid → 400); resetHour 0–23; agingMinutes 0 allowed', async () => {
    for (const body of [
      { name: 'x', timezone: 'Mars/Olympus' },
      { name: 'x', timezone: '' },
      { name: 'x', timezone: 'UTC', resetHour: 24 },
      { name: 'x', timezone: 'UTC', resetHour: -1 },
      { name: 'x', timezone: 'UTC', agingMinutes: -1 },
    ]) {
      expect((await call('POST', '/v1/branches', { token, body })).status, JSON.stringify(body)).toBe(400);
    }
    const b = await created(token, '/v1/branches', {
      name: 'x',
      timezone: 'Asia/Tokyo',
      resetHour: 0,
      agingMinutes: 0,
      address: 'Here',
    });
    expect(b).toMatchObject({ resetHour: 0, agingMinutes: 0, address: 'Here' });
    const b23 = await created(token, '/v1/branches', { name: 'x', timezone: 'UTC', resetHour: 23 });
    expect(b23.resetHour).toBe(23);
  });

  it('businessDay follows the branch clock: local date of (now − resetHour)', async () => {
    const b = await created(token, '/v1/branches', {
      name: 'x',
      timezone: 'Pacific/Kiritimati',
      resetHour: 23,
    });
    expect(b.businessDay).toBe(businessDayOf(new Date(), 'Pacific/Kiritimati', 23));
    const got = await call('GET', `/v1/branches/${b.id}`, { token });
    expect(got.body.businessDay).toBe(b.businessDay);
    const list = await call('GET', '/v1/branches', { token, query: { limit: '100' } });
    expect(list.body.items.find((x: any) => x.id === b.id).businessDay).toBe(b.businessDay);
  });
});
