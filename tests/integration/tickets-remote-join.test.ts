import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { verifiedTenant } from '#tests/support/identity-fixtures';
import { logsOf } from '#tests/support/logs';
import { REMOTE_JOIN_LIMIT, TICKET_FIELDS } from '#tests/support/rules';
import { newTenant, setupApi } from '#tests/support/setup-fixtures';
import { mintToken } from '#tests/support/tokens';

/**
 * Remote join (docs/rules.md#remote-join) through the real handlers on DynamoDB Local: the join
 * page's branch (404 unless remote join is on), taking a ticket (`source: "remote"`, the one
 * enqueue path), the per-address budget, `maxWaiting` under concurrency, bad input, tenancy.
 */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterEach(() => {
  vi.useRealTimers();
});

let ipCount = 0;
/** A client address of its own: the join budget is 3 per address, so each test uses fresh ones. */
const freshIp = () => `198.51.${Math.floor(++ipCount / 250)}.${(ipCount % 250) + 1}`;

interface JoinWorld {
  tenantId: string;
  token: string;
  branchId: string;
  /** Queues by prefix: A (display order 2), B (display order 1), C (no order), P (paused). */
  queues: Record<string, string>;
  counterId: string;
}

async function joinWorld(remoteJoin: Record<string, unknown> = { enabled: true }): Promise<JoinWorld> {
  const { tenantId, token } = await newTenant(env);
  const api = setupApi(token);
  const priority = await api.priority();
  const branch = await api.branch({ name: 'Centro', language: 'es', remoteJoin });
  const queue = (prefix: string, extra: Record<string, unknown> = {}) =>
    api.queue(branch.id, { prefix, name: `Service ${prefix}`, priorityId: priority.id, ...extra });
  const A = await queue('A', { displayOrder: 2, description: 'Accounts' });
  const B = await queue('B', { displayOrder: 1 });
  const C = await queue('C');
  const P = await queue('P', { status: 'paused' });
  const counter = await api.counter(branch.id, { queueIds: [A.id, B.id] });
  return {
    tenantId,
    token,
    branchId: branch.id,
    queues: { A: A.id, B: B.id, C: C.id, P: P.id },
    counterId: counter.id,
  };
}

const join = (branchId: string, body: unknown, sourceIp = freshIp()) =>
  call('POST', `/v1/public/branches/${branchId}/tickets`, { body, sourceIp });
const joinPage = (branchId: string) =>
  call('GET', `/v1/public/branches/${branchId}`, { sourceIp: freshIp() });
const staffTickets = async (w: JoinWorld) => {
  const res = await call('GET', `/v1/branches/${w.branchId}/tickets`, {
    token: w.token,
    query: { limit: '100' },
  });
  expect(res.status).toBe(200);
  return res.body.items as any[];
};

describe('the join page’s branch', () => {
  it('shows the branch and its open queues in display order, with waiting counts and estimates', async () => {
    const w = await joinWorld();
    const page = await joinPage(w.branchId);
    expect(page.status, page.text).toBe(200);
    expect(page.body).toEqual({
      name: 'Centro',
      timezone: 'Europe/Madrid',
      language: 'es',
      queues: [
        { id: w.queues.B, name: 'Service B', description: null, waiting: 0, estimatedWaitSeconds: 0 },
        { id: w.queues.A, name: 'Service A', description: 'Accounts', waiting: 0, estimatedWaitSeconds: 0 },
        // No counter serves C: no estimate. The paused queue P takes no tickets, so it is not shown.
        { id: w.queues.C, name: 'Service C', description: null, waiting: 0, estimatedWaitSeconds: null },
      ],
      branding: { displayName: null, accentColor: null, logoUrl: null },
    });
    await join(w.branchId, { queueId: w.queues.A });
    const after = await joinPage(w.branchId);
    expect(after.body.queues.find((q: any) => q.id === w.queues.A)).toMatchObject({
      waiting: 1,
      estimatedWaitSeconds: 300,
    });
  });

  it("carries the organisation's branding as soon as the admin sets it", async () => {
    const { token } = await verifiedTenant(env);
    const branch = await setupApi(token).branch({ name: 'Centro', remoteJoin: { enabled: true } });
    expect((await joinPage(branch.id)).body.branding).toEqual({
      displayName: null,
      accentColor: null,
      logoUrl: null,
    });
    const branded = await call('PATCH', '/v1/tenant', {
      token,
      body: { branding: { displayName: 'Clínica Centro', accentColor: '#0b6e4f' } },
    });
    expect(branded.status, branded.text).toBe(200);
    expect((await joinPage(branch.id)).body.branding).toEqual({
      displayName: 'Clínica Centro',
      accentColor: '#0B6E4F',
      logoUrl: null,
    });
  });

  it('is 404 when remote join is off, for unknown ids, once turned off, and once the branch is deleted', async () => {
    const off = await joinWorld({ enabled: false });
    expect((await joinPage(off.branchId)).status).toBe(404);
    expect((await join(off.branchId, { queueId: off.queues.A })).status).toBe(404);
    expect((await joinPage(ulid())).status).toBe(404);
    expect((await join(ulid(), { queueId: off.queues.A })).status).toBe(404);

    const w = await joinWorld();
    expect((await joinPage(w.branchId)).status).toBe(200);
    const patch = (remoteJoin: unknown) =>
      call('PATCH', `/v1/branches/${w.branchId}`, { token: w.token, body: { remoteJoin } });
    expect((await patch({ enabled: false })).status).toBe(200);
    expect((await joinPage(w.branchId)).status).toBe(404);
    expect((await join(w.branchId, { queueId: w.queues.A })).status).toBe(404);
    const on = await patch({ enabled: true, maxWaiting: 5 });
    expect(on.body.remoteJoin).toEqual({ enabled: true, maxWaiting: 5 });
    expect((await joinPage(w.branchId)).status).toBe(200);

    expect((await call('DELETE', `/v1/branches/${w.branchId}`, { token: w.token })).status).toBe(204);
    expect((await joinPage(w.branchId)).status).toBe(404);
    expect((await join(w.branchId, { queueId: w.queues.A })).status).toBe(404);
    // Nothing was issued by any of the refused joins.
    expect(await staffTickets(off)).toEqual([]);
  });
});

describe('taking a ticket from afar', () => {
  it('issues a remote ticket through the enqueue path: code, position, public token, source', async () => {
    const w = await joinWorld();
    const first = await join(w.branchId, {
      queueId: w.queues.A,
      customer: { name: 'Ana', phone: '+34 600 000 000', email: 'ana@example.com' },
    });
    expect(first.status, first.text).toBe(201);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body).toEqual({
      ticket: {
        code: 'A-001',
        status: 'waiting',
        queueName: 'Service A',
        publicToken: expect.stringMatching(/^[A-Za-z0-9_-]{64}$/),
        source: 'remote',
        createdAt: expect.any(String),
        customer: { name: 'Ana', phone: '+34 600 000 000', email: 'ana@example.com' },
      },
      position: 1,
      estimatedWaitSeconds: 0,
    });
    const second = await join(w.branchId, { queueId: w.queues.A });
    expect(second.body).toMatchObject({ ticket: { code: 'A-002', customer: null }, position: 2 });

    // The customer's status page knows it; staff see it as a ticket like any other, marked remote.
    const status = await call('GET', `/v1/public/tickets/${first.body.ticket.publicToken}`);
    expect(status.body).toMatchObject({
      code: 'A-001',
      status: 'waiting',
      position: 1,
      branchName: 'Centro',
    });
    const tickets = await staffTickets(w);
    expect(tickets.map((t) => [t.code, t.source])).toEqual([
      ['A-001', 'remote'],
      ['A-002', 'remote'],
    ]);
    expect(Object.keys(tickets[0]).sort()).toEqual(TICKET_FIELDS);
    const called = await call('POST', `/v1/branches/${w.branchId}/counters/${w.counterId}/call-next`, {
      token: w.token,
    });
    expect(called.body.ticket).toMatchObject({ code: 'A-001', source: 'remote', feedback: null });
  });

  it('takes notify by the enqueue rules: the channel needs its contact, and the ticket keeps it', async () => {
    const w = await joinWorld();
    const missing = await join(w.branchId, { queueId: w.queues.A, notify: ['sms'] });
    expect(missing.status, missing.text).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('body.customer.phone');
    const national = await join(w.branchId, {
      queueId: w.queues.A,
      customer: { phone: '600 000 000' },
      notify: ['sms'],
    });
    expect(national.status, national.text).toBe(400);
    expect((await staffTickets(w)).length).toBe(0);

    const asked = await join(w.branchId, {
      queueId: w.queues.A,
      customer: { phone: '+34 600 000 000', email: 'ana@example.com' },
      notify: ['sms', 'email'],
    });
    expect(asked.status, asked.text).toBe(201);
    const [ticket] = await staffTickets(w);
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: tableName(),
        Key: { pk: `T#${w.tenantId}#K#${ticket!.id}`, sk: 'TICKET' },
        ConsistentRead: true,
      }),
    );
    expect([...((Item?.notify ?? []) as string[])].sort()).toEqual(['email', 'sms']);
  });

  it('marks the tickets of kiosks `kiosk` and of other staff `staff`', async () => {
    const w = await joinWorld();
    const kiosk = await mintToken(env.signingKey, { tenantId: w.tenantId, role: 'kiosk' });
    const agent = await mintToken(env.signingKey, { tenantId: w.tenantId, role: 'agent' });
    for (const [token, source] of [
      [kiosk, 'kiosk'],
      [agent, 'staff'],
      [w.token, 'staff'],
    ] as const) {
      const res = await call('POST', `/v1/branches/${w.branchId}/tickets`, {
        token,
        body: { queueId: w.queues.B },
      });
      expect(res.status).toBe(201);
      expect(res.body.ticket.source).toBe(source);
    }
  });

  it('refuses a queue that is not open (409) and one that is not the branch’s (400)', async () => {
    const w = await joinWorld();
    const other = await joinWorld();
    expect((await join(w.branchId, { queueId: w.queues.P })).status).toBe(409);
    const foreign = await join(w.branchId, { queueId: other.queues.A });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].path).toBe('body.queueId');
    expect(await staffTickets(w)).toEqual([]);
    expect(await staffTickets(other)).toEqual([]);
  });

  it('answers bad input with 400 and changes nothing', async () => {
    const w = await joinWorld();
    const bad: unknown[] = [
      {},
      { queueId: 'nope' },
      { queueId: w.queues.A, extra: 1 },
      { queueId: w.queues.A, customer: { reference: 'X' } },
      { queueId: w.queues.A, customer: { email: 'not-an-email' } },
      { queueId: w.queues.A, customer: { name: 'x'.repeat(121) } },
    ];
    for (const body of bad) {
      const res = await join(w.branchId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
    }
    const raw = await call('POST', `/v1/public/branches/${w.branchId}/tickets`, {
      rawBody: '{"queueId":',
      headers: { 'content-type': 'application/json' },
      sourceIp: freshIp(),
    });
    expect(raw.status).toBe(400);
    expect((await call('GET', '/v1/public/branches/not-a-ulid', { sourceIp: freshIp() })).status).toBe(400);
    expect(await staffTickets(w)).toEqual([]);
    expect((await joinPage(w.branchId)).body.queues.every((q: any) => q.waiting === 0)).toBe(true);
  });
});

describe('limits', () => {
  it(`takes ${REMOTE_JOIN_LIMIT.requests} joins per address per 10 minutes, then 429 with Retry-After`, async () => {
    const w = await joinWorld();
    // Frozen in the middle of a 10-minute window (Date only), so that it cannot roll over.
    const now = Date.now();
    const windowMs = REMOTE_JOIN_LIMIT.windowSeconds * 1000;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Math.floor(now / windowMs) * windowMs + windowMs / 2));
    const ip = freshIp();
    for (let i = 0; i < REMOTE_JOIN_LIMIT.requests; i++) {
      expect((await join(w.branchId, { queueId: w.queues.A }, ip)).status).toBe(201);
    }
    const over = await join(w.branchId, { queueId: w.queues.A }, ip);
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toBe('application/problem+json');
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(REMOTE_JOIN_LIMIT.windowSeconds);
    expect(await staffTickets(w)).toHaveLength(REMOTE_JOIN_LIMIT.requests);
    // Another address is served; the same one again once the window has passed.
    expect((await join(w.branchId, { queueId: w.queues.A })).status).toBe(201);
    vi.setSystemTime(Date.now() + windowMs);
    expect((await join(w.branchId, { queueId: w.queues.A }, ip)).status).toBe(201);
  });

  it('never lets more than maxWaiting remote tickets wait, however many join at once', async () => {
    const maxWaiting = 3;
    const w = await joinWorld({ enabled: true, maxWaiting });
    // A staff ticket waits too: it does not count against the remote limit.
    const staff = await call('POST', `/v1/branches/${w.branchId}/tickets`, {
      token: w.token,
      body: { queueId: w.queues.A },
    });
    expect(staff.status).toBe(201);
    const attempts = 12;
    const results = await Promise.all(
      Array.from({ length: attempts }, (_, i) =>
        join(w.branchId, { queueId: i % 2 ? w.queues.A : w.queues.B }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(maxWaiting).fill(201), ...Array(attempts - maxWaiting).fill(409)]);
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.body.type).toMatch(/remote-join-full$/);
    const waitingRemote = (await staffTickets(w)).filter(
      (t) => t.source === 'remote' && t.status === 'waiting',
    );
    expect(waitingRemote).toHaveLength(maxWaiting);

    // A remote ticket called frees a place; a remote one cancelled by its customer frees one too.
    const called = await call('POST', `/v1/branches/${w.branchId}/counters/${w.counterId}/call-next`, {
      token: w.token,
    });
    expect(called.status).toBe(200);
    const freed = called.body.ticket.source === 'remote' ? 1 : 0;
    const cancelled = results.find(
      (r) => r.status === 201 && r.body.ticket.code !== called.body.ticket.code,
    )!;
    expect(
      (
        await call('DELETE', `/v1/public/tickets/${cancelled.body.ticket.publicToken}`, {
          sourceIp: freshIp(),
        })
      ).status,
    ).toBe(200);
    const again = await Promise.all(
      Array.from({ length: 4 }, () => join(w.branchId, { queueId: w.queues.B })),
    );
    expect(again.filter((r) => r.status === 201)).toHaveLength(1 + freed);
    expect(again.filter((r) => r.status === 409)).toHaveLength(3 - freed);
  });

  it('keeps the count right when a called remote ticket is sent back to waiting and the day closes', async () => {
    const w = await joinWorld({ enabled: true, maxWaiting: 1 });
    const joined = await join(w.branchId, { queueId: w.queues.A });
    expect(joined.status).toBe(201);
    expect((await join(w.branchId, { queueId: w.queues.A })).status).toBe(409);
    const called = await call('POST', `/v1/branches/${w.branchId}/counters/${w.counterId}/call-next`, {
      token: w.token,
    });
    expect(called.body.ticket.source).toBe('remote');
    // Called: the place is free…
    const second = await join(w.branchId, { queueId: w.queues.B });
    expect(second.status).toBe(201);
    // …and a transfer back to waiting takes one again, even past the limit (staff are never refused).
    const moved = await call('POST', `/v1/branches/${w.branchId}/tickets/${called.body.ticket.id}/transfer`, {
      token: w.token,
      body: { queueId: w.queues.B },
    });
    expect(moved.status).toBe(200);
    expect(await remoteCount(w)).toBe(2);
    // The day close expires both: the count is back to zero, and joins are taken again.
    const closed = await call('POST', `/v1/branches/${w.branchId}/close-day`, { token: w.token });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.expired).toBe(2);
    expect(await remoteCount(w)).toBe(0);
    expect((await join(w.branchId, { queueId: w.queues.A })).status).toBe(201);
  });
});

/** The branch's count of waiting remote tickets, as stored. */
async function remoteCount(w: JoinWorld): Promise<number> {
  const { Item } = await dynamo().send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: `T#${w.tenantId}#B#${w.branchId}`, sk: 'A#REMOTE' },
      ConsistentRead: true,
    }),
  );
  return (Item?.n as number | undefined) ?? 0;
}

describe('tenancy', () => {
  it('the branch id alone leads to its own tenant, and to no other branch', async () => {
    const one = await joinWorld();
    const two = await joinWorld();
    const a = await join(one.branchId, { queueId: one.queues.A });
    const b = await join(two.branchId, { queueId: two.queues.A });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await staffTickets(one)).map((t) => t.code)).toEqual(['A-001']);
    expect((await staffTickets(two)).map((t) => t.code)).toEqual(['A-001']);
    expect((await staffTickets(one))[0].publicToken).toBe(a.body.ticket.publicToken);
    // Another tenant's queue through this branch: refused, nothing issued anywhere.
    expect((await join(one.branchId, { queueId: two.queues.B })).status).toBe(400);
    expect(await staffTickets(two)).toHaveLength(1);
    // A branch without remote join, of a tenant that has another branch with it, stays hidden.
    const hidden = await setupApi(one.token).branch({ name: 'Back office' });
    expect((await joinPage(hidden.id)).status).toBe(404);
    // Staff of another tenant cannot read the remote ticket through its branch either.
    const stranger = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin' });
    const res = await call('GET', `/v1/branches/${one.branchId}/tickets`, { token: stranger });
    expect(res.status).toBe(404);
  });
});

describe('logs', () => {
  it('never hold what a remote customer gives: name, phone, email, nor a feedback comment', async () => {
    const w = await joinWorld();
    const who = { name: `Zoe ${ulid()}`, phone: `+34 ${Date.now()}`, email: `z${Date.now()}@example.org` };
    const comment = `Ask for Zoe at ${ulid()}`;
    const { text } = await logsOf(async () => {
      const joined = await join(w.branchId, { queueId: w.queues.A, customer: who });
      expect(joined.status).toBe(201);
      // Refused ones too: an unknown field, a queue of nowhere.
      expect(
        (await join(w.branchId, { queueId: w.queues.A, customer: { ...who, reference: 'x' } })).status,
      ).toBe(400);
      expect((await join(w.branchId, { queueId: ulid(), customer: who })).status).toBe(400);
      const called = await call('POST', `/v1/branches/${w.branchId}/counters/${w.counterId}/call-next`, {
        token: w.token,
      });
      await call('POST', `/v1/branches/${w.branchId}/tickets/${called.body.ticket.id}/complete`, {
        token: w.token,
      });
      const given = await call('POST', `/v1/public/tickets/${joined.body.ticket.publicToken}/feedback`, {
        body: { rating: 5, comment },
        sourceIp: freshIp(),
      });
      expect(given.status).toBe(201);
      expect(
        (
          await call('POST', `/v1/public/tickets/${joined.body.ticket.publicToken}/feedback`, {
            body: { rating: 1, comment },
            sourceIp: freshIp(),
          })
        ).status,
      ).toBe(409);
    });
    // The capture works: the requests' access-log lines are there.
    expect(text).toContain('"message":"request"');
    for (const value of [...Object.values(who), comment]) expect(text).not.toContain(value);
  });
});
