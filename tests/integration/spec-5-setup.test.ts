import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { businessDayOf } from '#core/domain/business-day';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/** SPEC §5 (organisation setup), statement by statement, through the setup routes. */

let env: TestEnv;
let token: string;
beforeAll(async () => {
  env = await createTestEnv();
  token = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin' });
});

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

async function post(path: string, body: unknown, t = token) {
  const res = await call('POST', path, { token: t, body });
  expect(res.status, `${path} ${res.text}`).toBe(201);
  return res.body;
}

describe('SPEC §5 priorities', () => {
  it('201 { id, name, rank, targetWaitMinutes, color, description, createdAt, updatedAt } with defaults', async () => {
    const p = await post('/v1/priorities', { name: 'General', rank: 3 });
    expect(p).toEqual({
      id: expect.stringMatching(ULID),
      name: 'General',
      rank: 3,
      targetWaitMinutes: 15,
      color: null,
      description: null,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
  });

  it('rank 1–99; ranks need not be unique; list sorted by rank', async () => {
    const t = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin' });
    for (const rank of [0, 100, 1.5, '3']) {
      expect(
        (await call('POST', '/v1/priorities', { token: t, body: { name: 'x', rank } })).status,
        String(rank),
      ).toBe(400);
    }
    for (const [name, rank] of [
      ['c', 50],
      ['a', 99],
      ['b', 1],
      ['d', 50],
      ['e', 2],
    ] as const)
      await post('/v1/priorities', { name, rank }, t);
    const list = await call('GET', '/v1/priorities', { token: t });
    expect(list.body.items.map((p: any) => p.rank)).toEqual([1, 2, 50, 50, 99]);
    const paged = await call('GET', '/v1/priorities', { token: t, query: { limit: '2' } });
    const rest = await call('GET', '/v1/priorities', { token: t, query: { cursor: paged.body.nextCursor } });
    expect([...paged.body.items, ...rest.body.items].map((p: any) => p.rank)).toEqual([1, 2, 50, 50, 99]);
  });

  it('GET/PATCH/DELETE by id; DELETE → 409 while a queue uses it', async () => {
    const p = await post('/v1/priorities', { name: 'Used', rank: 4, targetWaitMinutes: 20 });
    const b = await post('/v1/branches', { name: 'B', timezone: 'UTC' });
    const q = await post(`/v1/branches/${b.id}/queues`, { name: 'Q', prefix: 'U', priorityId: p.id });
    expect((await call('GET', `/v1/priorities/${p.id}`, { token })).body).toEqual(p);
    const patched = await call('PATCH', `/v1/priorities/${p.id}`, { token, body: { rank: 5 } });
    expect(patched.body).toMatchObject({ name: 'Used', rank: 5, targetWaitMinutes: 20 });
    expect((await call('DELETE', `/v1/priorities/${p.id}`, { token })).status).toBe(409);
    expect((await call('DELETE', `/v1/branches/${b.id}/queues/${q.id}`, { token })).status).toBe(204);
    expect((await call('DELETE', `/v1/priorities/${p.id}`, { token })).status).toBe(204);
    expect((await call('GET', `/v1/priorities/${p.id}`, { token })).status).toBe(404);
  });
});

describe('SPEC §5 branches', () => {
  it('201 { id, name, timezone, resetHour, agingMinutes, address, businessDay, createdAt, updatedAt } with defaults', async () => {
    const b = await post('/v1/branches', { name: 'Centro', timezone: 'America/Bogota' });
    expect(b).toEqual({
      id: expect.stringMatching(ULID),
      name: 'Centro',
      timezone: 'America/Bogota',
      resetHour: 3,
      agingMinutes: 15,
      address: null,
      businessDay: businessDayOf(new Date(), 'America/Bogota', 3),
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
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
    const b = await post('/v1/branches', {
      name: 'x',
      timezone: 'Asia/Tokyo',
      resetHour: 0,
      agingMinutes: 0,
      address: 'Here',
    });
    expect(b).toMatchObject({ resetHour: 0, agingMinutes: 0, address: 'Here' });
    const b23 = await post('/v1/branches', { name: 'x', timezone: 'UTC', resetHour: 23 });
    expect(b23.resetHour).toBe(23);
  });

  it('businessDay follows the branch clock: local date of (now − resetHour)', async () => {
    const b = await post('/v1/branches', { name: 'x', timezone: 'Pacific/Kiritimati', resetHour: 23 });
    expect(b.businessDay).toBe(businessDayOf(new Date(), 'Pacific/Kiritimati', 23));
    const got = await call('GET', `/v1/branches/${b.id}`, { token });
    expect(got.body.businessDay).toBe(b.businessDay);
    const list = await call('GET', '/v1/branches', { token, query: { limit: '100' } });
    expect(list.body.items.find((x: any) => x.id === b.id).businessDay).toBe(b.businessDay);
  });
});

describe('SPEC §5 queues', () => {
  let branch: any;
  let priority: any;
  beforeAll(async () => {
    branch = await post('/v1/branches', { name: 'Q-branch', timezone: 'Europe/Madrid' });
    priority = await post('/v1/priorities', { name: 'Q-prio', rank: 2 });
  });

  it('201 { id, branchId, name, prefix, priorityId, status, description, waiting, estimatedWaitSeconds, avgServiceSeconds, createdAt, updatedAt }', async () => {
    const q = await post(`/v1/branches/${branch.id}/queues`, {
      name: 'General',
      prefix: 'A',
      priorityId: priority.id,
    });
    expect(q).toEqual({
      id: expect.stringMatching(ULID),
      branchId: branch.id,
      name: 'General',
      prefix: 'A',
      priorityId: priority.id,
      status: 'open',
      description: null,
      waiting: 0,
      estimatedWaitSeconds: null, // no counter serves it yet
      avgServiceSeconds: 300,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
    await post(`/v1/branches/${branch.id}/counters`, { name: 'D', queueIds: [q.id] });
    const got = await call('GET', `/v1/branches/${branch.id}/queues/${q.id}`, { token });
    expect(got.body).toMatchObject({ waiting: 0, estimatedWaitSeconds: 0, avgServiceSeconds: 300 });
  });

  it('prefix: 1–3 uppercase letters, unique in the branch (409), free in another branch', async () => {
    for (const prefix of ['', 'a', 'ABCD', 'A1', 'Á', '-']) {
      const res = await call('POST', `/v1/branches/${branch.id}/queues`, {
        token,
        body: { name: 'x', prefix, priorityId: priority.id },
      });
      expect(res.status, prefix).toBe(400);
    }
    await post(`/v1/branches/${branch.id}/queues`, { name: 'x', prefix: 'XYZ', priorityId: priority.id });
    const dup = await call('POST', `/v1/branches/${branch.id}/queues`, {
      token,
      body: { name: 'y', prefix: 'XYZ', priorityId: priority.id },
    });
    expect(dup.status).toBe(409);
    const other = await post('/v1/branches', { name: 'Other', timezone: 'UTC' });
    await post(`/v1/branches/${other.id}/queues`, { name: 'x', prefix: 'XYZ', priorityId: priority.id });
    // PATCH to a prefix in use is a 409 as well.
    const q2 = await post(`/v1/branches/${branch.id}/queues`, {
      name: 'z',
      prefix: 'ZZ',
      priorityId: priority.id,
    });
    expect(
      (await call('PATCH', `/v1/branches/${branch.id}/queues/${q2.id}`, { token, body: { prefix: 'XYZ' } }))
        .status,
    ).toBe(409);
  });

  it('status open | paused | closed; anything else 400', async () => {
    for (const status of ['paused', 'closed', 'open']) {
      const q = await post(`/v1/branches/${branch.id}/queues`, {
        name: status,
        prefix: `S${status[0]!.toUpperCase()}`,
        priorityId: priority.id,
        status,
      });
      expect(q.status).toBe(status);
    }
    const bad = await call('POST', `/v1/branches/${branch.id}/queues`, {
      token,
      body: { name: 'x', prefix: 'SX', priorityId: priority.id, status: 'OPEN' },
    });
    expect(bad.status).toBe(400);
  });

  it('list with live waiting; DELETE → 409 while tickets wait', async () => {
    const b = await post('/v1/branches', { name: 'W', timezone: 'UTC' });
    const q = await post(`/v1/branches/${b.id}/queues`, { name: 'W', prefix: 'W', priorityId: priority.id });
    const issued = await call('POST', `/v1/branches/${b.id}/tickets`, { token, body: { queueId: q.id } });
    expect(issued.status).toBe(201);
    const list = await call('GET', `/v1/branches/${b.id}/queues`, { token });
    expect(list.body.items[0]).toMatchObject({ id: q.id, waiting: 1 });
    expect((await call('DELETE', `/v1/branches/${b.id}/queues/${q.id}`, { token })).status).toBe(409);
    await call('POST', `/v1/branches/${b.id}/tickets/${issued.body.ticket.id}/cancel`, { token });
    expect((await call('DELETE', `/v1/branches/${b.id}/queues/${q.id}`, { token })).status).toBe(204);
  });
});

describe('SPEC §5 counters', () => {
  it('201 { id, branchId, name, queueIds, allowStealing, currentTicketId, createdAt, updatedAt }; allowStealing default true', async () => {
    const p = await post('/v1/priorities', { name: 'C-prio', rank: 2 });
    const b = await post('/v1/branches', { name: 'C', timezone: 'UTC' });
    const q = await post(`/v1/branches/${b.id}/queues`, { name: 'Q', prefix: 'Q', priorityId: p.id });
    const c = await post(`/v1/branches/${b.id}/counters`, { name: 'Desk', queueIds: [q.id] });
    expect(c).toEqual({
      id: expect.stringMatching(ULID),
      branchId: b.id,
      name: 'Desk',
      queueIds: [q.id],
      allowStealing: true,
      currentTicketId: null,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
    const c2 = await post(`/v1/branches/${b.id}/counters`, {
      name: 'Desk 2',
      queueIds: [q.id],
      allowStealing: false,
    });
    expect(c2.allowStealing).toBe(false);

    // currentTicketId shows the called ticket.
    const t = await call('POST', `/v1/branches/${b.id}/tickets`, { token, body: { queueId: q.id } });
    await call('POST', `/v1/branches/${b.id}/counters/${c.id}/call-next`, { token });
    const got = await call('GET', `/v1/branches/${b.id}/counters/${c.id}`, { token });
    expect(got.body.currentTicketId).toBe(t.body.ticket.id);
    expect((await call('DELETE', `/v1/branches/${b.id}/counters/${c.id}`, { token })).status).toBe(409);
  });

  it('queueIds: same branch, ≥ 1; another branch’s queue → 400', async () => {
    const p = await post('/v1/priorities', { name: 'C-prio2', rank: 2 });
    const b1 = await post('/v1/branches', { name: 'B1', timezone: 'UTC' });
    const b2 = await post('/v1/branches', { name: 'B2', timezone: 'UTC' });
    const q2 = await post(`/v1/branches/${b2.id}/queues`, { name: 'Q', prefix: 'Q', priorityId: p.id });
    for (const queueIds of [[], [q2.id], [ulid()]]) {
      const res = await call('POST', `/v1/branches/${b1.id}/counters`, {
        token,
        body: { name: 'x', queueIds },
      });
      expect(res.status, JSON.stringify(queueIds)).toBe(400);
    }
    const q1 = await post(`/v1/branches/${b1.id}/queues`, { name: 'Q', prefix: 'Q', priorityId: p.id });
    const c = await post(`/v1/branches/${b1.id}/counters`, { name: 'x', queueIds: [q1.id] });
    const patch = await call('PATCH', `/v1/branches/${b1.id}/counters/${c.id}`, {
      token,
      body: { queueIds: [q1.id, q2.id] },
    });
    expect(patch.status).toBe(400);
  });
});
