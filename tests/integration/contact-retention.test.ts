import { createECDH, randomBytes } from 'node:crypto';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { CONTACT_SHARDS, ticketKey } from '#core/adapters/dynamo/items/ticket';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { ticketContext } from '#functions/commons/context';
import { type EraseContactsResult, handler as eraseContacts } from '#functions/erase-contacts';
import { handler as nightlyReset } from '#functions/nightly-reset';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { injectFault } from '#tests/support/fault-injection';
import { logsOf } from '#tests/support/logs';
import { type EmfLine, metricsOf } from '#tests/support/metrics';
import { branchPath, expectStatus, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * Contact data kept only as long as it is needed, through the real handlers on DynamoDB Local:
 * a ticket that ends holding contact data keeps it until its branch's `contactRetentionHours`
 * have passed, then the hourly erase-contacts job erases it (not an hour earlier) — for every
 * way a ticket ends, the day closes included; a customer erases theirs at once with
 * `DELETE /v1/public/tickets/{publicToken}/contact`. Afterwards no item of the table holds it
 * (stored idempotent answers included), and reports are as they were.
 */

let env: TestEnv;
const tenantId = ulid();
let agent: string;
let admin: string;
let f: BranchFixture;
const HOUR = 3_600_000;

beforeAll(async () => {
  env = await createTestEnv();
  agent = await mintToken(env.signingKey, { tenantId, userId: ulid(), role: 'agent' });
  admin = await mintToken(env.signingKey, { tenantId, role: 'admin' });
  f = await branch(2);
});

const { issue, next, act } = ticketCalls(() => agent);

async function branch(hours: number | undefined): Promise<BranchFixture> {
  const fixture = await createBranchFixture({
    tenantId,
    agingMinutes: 0,
    queues: { G: { priority: 'General' } },
    counters: { 'Counter 1': { queues: ['G'] }, 'Counter 2': { queues: ['G'] } },
  });
  if (hours !== undefined) await setRetention(fixture, hours);
  return fixture;
}

async function setRetention(fixture: BranchFixture, hours: number) {
  const res = await call('PATCH', branchPath(fixture), {
    token: admin,
    body: { contactRetentionHours: hours },
  });
  expectStatus(res, 200, 'PATCH contactRetentionHours');
}

/** A customer whose every field is unique to this test, so it can be looked for anywhere. */
function customer() {
  const id = ulid().slice(-10);
  return {
    name: `Name ${id}`,
    phone: `+3460${String(Number.parseInt(id.slice(-7), 36)).slice(-7)}`,
    email: `mail-${id.toLowerCase()}@example.org`,
    reference: `REF-${id}`,
  };
}
type Customer = ReturnType<typeof customer>;

/** A browser's push subscription, with keys a browser would make. */
function pushSubscription() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `https://push.example.org/send/${ulid()}`,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

const queueOf = (fixture: BranchFixture) => fixture.queues.G!.id;
const issueWith = (
  fixture: BranchFixture,
  c: Customer | null = customer(),
  headers?: Record<string, string>,
) => issue(fixture, { queueId: queueOf(fixture), customer: c }, agent, headers);

async function callTicket(fixture: BranchFixture, counter = 'Counter 1') {
  const res = await next(fixture, counter);
  expectStatus(res, 200, 'call-next');
  return res.body.ticket as { id: string };
}

async function staffTicket(fixture: BranchFixture, id: string) {
  const res = await call('GET', `${branchPath(fixture)}/tickets/${id}`, { token: agent });
  expectStatus(res, 200, 'GET ticket');
  return res.body.ticket as { status: string; customer: Customer | null; endedAt: string | null };
}

const rawTicket = async (id: string) =>
  (await dynamo().send(new GetCommand({ TableName: tableName(), Key: ticketKey(tenantId, id) }))).Item!;

const job = (at: Date) => eraseContacts({ at: at.toISOString() });

/** Every item of the test table holding one of the customer's values (the test may Scan; the job never does). */
async function itemsHolding(c: Customer): Promise<string[]> {
  const found: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({ TableName: tableName(), ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      const text = JSON.stringify(item);
      if ([c.name, c.phone, c.email, c.reference].some((v) => text.includes(v)))
        found.push(`${item.pk} ${item.sk}`);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

describe('the erase-contacts job', () => {
  it('erases the contact data of each final state once the retention has passed, not an hour before', async () => {
    const ended: Array<{ how: string; id: string; customer: Customer }> = [];
    const take = async (how: string, end: (id: string) => Promise<void>) => {
      const c = customer();
      const { ticket } = await issueWith(f, c);
      await end(ticket.id);
      ended.push({ how, id: ticket.id, customer: c });
    };
    await take('done', async () => {
      const t = await callTicket(f);
      expectStatus(await act(f, t.id, 'complete'), 200, 'complete');
    });
    await take('no_show', async () => {
      const t = await callTicket(f);
      expectStatus(await act(f, t.id, 'no-show'), 200, 'no-show');
    });
    await take('cancelled by staff', async (id) => {
      expectStatus(await act(f, id, 'cancel'), 200, 'cancel');
    });
    await take('cancelled on the status page', async (id) => {
      const token = (await rawTicket(id)).publicToken as string;
      expectStatus(await call('DELETE', `/v1/public/tickets/${token}`), 200, 'public cancel');
    });
    // close-day: waiting and called expire, serving is done.
    await take('expired (waiting) by close-day', async () => {});
    await take('expired (called) by close-day', async () => {
      await callTicket(f, 'Counter 2');
    });
    const closed = await call('POST', `${branchPath(f)}/close-day`, { token: admin });
    expectStatus(closed, 200, 'close-day');

    const states = await Promise.all(ended.map((e) => staffTicket(f, e.id)));
    expect(states.map((s) => s.status)).toEqual([
      'done',
      'no_show',
      'cancelled',
      'cancelled',
      'expired',
      'expired',
    ]);
    const ends = states.map((s) => Date.parse(s.endedAt!));
    const first = Math.min(...ends);
    const last = Math.max(...ends);

    // An hour before the first is due (2 h retention), and a moment before it: nothing erased.
    for (const at of [first + HOUR, first + 2 * HOUR - 1]) {
      const run = await job(new Date(at));
      expect(run).toMatchObject({ erased: 0, failed: 0, complete: true });
    }
    for (const [i, e] of ended.entries()) {
      expect((await staffTicket(f, e.id)).customer, e.how).toEqual(e.customer);
      expect(states[i]!.customer, e.how).toEqual(e.customer);
    }

    // Once every one is due: all erased, the staff see `customer: null`, no item holds any of it.
    const run = await job(new Date(last + 2 * HOUR));
    expect(run).toMatchObject({ erased: ended.length, failed: 0, complete: true });
    for (const e of ended) {
      const after = await staffTicket(f, e.id);
      expect(after.customer, e.how).toBeNull();
      expect(after.status, e.how).toBe(states[ended.indexOf(e)]!.status);
      const raw = await rawTicket(e.id);
      expect(raw, e.how).toMatchObject({
        customer: null,
        contactErasedAt: new Date(last + 2 * HOUR).toISOString(),
      });
      expect(raw.duePk, e.how).toBeUndefined();
      expect(await itemsHolding(e.customer), e.how).toEqual([]);
    }
  });

  it('erases what the status page added: the phone and email signed up for, and the browsers subscribed', async () => {
    const c = customer();
    const { ticket } = await issueWith(f, null);
    const signed = await call('POST', `/v1/public/tickets/${ticket.publicToken}/notify`, {
      body: { phone: c.phone, email: c.email },
    });
    expectStatus(signed, 200, 'notify');
    const browser = pushSubscription();
    const subscribed = await call('POST', `/v1/public/tickets/${ticket.publicToken}/subscriptions`, {
      body: browser,
    });
    expectStatus(subscribed, 201, 'subscribe');
    expect(await rawTicket(ticket.id)).toMatchObject({
      customer: { phone: c.phone, email: c.email },
      notify: ['sms', 'email'],
      pushSubscriptions: [{ endpoint: browser.endpoint, keys: browser.keys }],
    });
    await callTicket(f);
    const done = await act(f, ticket.id, 'complete');
    expectStatus(done, 200, 'complete');
    const endedAt = Date.parse(done.body.ticket.endedAt);
    expect((await rawTicket(ticket.id)).duePk).toBeDefined();
    await job(new Date(endedAt + 2 * HOUR));
    const raw = await rawTicket(ticket.id);
    expect(raw.customer).toBeNull();
    expect(raw.pushSubscriptions).toBeUndefined();
    expect(await itemsHolding({ ...c, name: browser.endpoint, reference: browser.keys.p256dh })).toEqual([]);
  });

  it('a ticket holding only a push subscription gets its due entry and is erased too', async () => {
    const { ticket } = await issueWith(f, null);
    const browser = pushSubscription();
    expectStatus(
      await call('POST', `/v1/public/tickets/${ticket.publicToken}/subscriptions`, { body: browser }),
      201,
      'subscribe',
    );
    const cancelled = await act(f, ticket.id, 'cancel');
    expectStatus(cancelled, 200, 'cancel');
    expect((await rawTicket(ticket.id)).duePk).toBeDefined();
    await job(new Date(Date.parse(cancelled.body.ticket.endedAt) + 2 * HOUR));
    expect((await rawTicket(ticket.id)).pushSubscriptions).toBeUndefined();
    expect((await rawTicket(ticket.id)).duePk).toBeUndefined();
  });

  it('erases exactly at endedAt + the retention (a run 1 ms earlier leaves it)', async () => {
    const c = customer();
    const { ticket } = await issueWith(f, c);
    await callTicket(f);
    const done = await act(f, ticket.id, 'complete');
    const endedAt = Date.parse(done.body.ticket.endedAt);
    await job(new Date(endedAt + 2 * HOUR - 1));
    expect((await staffTicket(f, ticket.id)).customer).toEqual(c);
    await job(new Date(endedAt + 2 * HOUR));
    expect((await staffTicket(f, ticket.id)).customer).toBeNull();
  });

  it('erases the tickets the nightly close expired, their retention after that close', async () => {
    const at = new Date('2025-03-09T12:00:00Z');
    const night = await createBranchFixture({ tenantId, now: at, queues: { G: { priority: 'General' } } });
    await setRetention(night, 5);
    const c = customer();
    const ctx = ticketContext({
      actor: { tenantId, userId: ulid(), roleId: 'admin', permissions: [], branches: ['*'] },
      now: new Date('2025-03-09T12:30:00Z'),
    });
    const { ticket } = await enqueue(ctx, { branchId: night.branchId, queueId: queueOf(night), customer: c });
    const closeAt = new Date('2025-03-10T05:00:00Z');
    const closed = await nightlyReset({ at: closeAt.toISOString() });
    expect(closed.branches.find((b) => b.branchId === night.branchId)).toMatchObject({ expired: 1 });
    expect(await staffTicket(night, ticket.id)).toMatchObject({ status: 'expired', customer: c });

    await job(new Date(closeAt.getTime() + 4 * HOUR));
    expect((await staffTicket(night, ticket.id)).customer).toEqual(c);
    await job(new Date(closeAt.getTime() + 5 * HOUR));
    expect((await staffTicket(night, ticket.id)).customer).toBeNull();
  });

  it('follows each branch its own hours; 0 erases at the first run after the end', async () => {
    const none = await branch(0);
    const one = await branch(1);
    const fallback = await branch(undefined);
    const tickets = new Map<BranchFixture, { id: string; customer: Customer }>();
    for (const b of [none, one, fallback]) {
      const c = customer();
      const { ticket } = await issueWith(b, c);
      expectStatus(await act(b, ticket.id, 'cancel'), 200, 'cancel');
      tickets.set(b, { id: ticket.id, customer: c });
    }
    const endedAt = Date.parse((await staffTicket(fallback, tickets.get(fallback)!.id)).endedAt!);
    const erasedAt = async (at: number) => {
      await job(new Date(at));
      const out: boolean[] = [];
      for (const [b, t] of tickets) out.push((await staffTicket(b, t.id)).customer === null);
      return out;
    };
    expect(await erasedAt(endedAt + 60_000)).toEqual([true, false, false]);
    expect(await erasedAt(endedAt + 2 * HOUR)).toEqual([true, true, false]);
    // Without a setting of its own a branch keeps contact data 24 hours.
    expect(await erasedAt(endedAt + 23 * HOUR)).toEqual([true, true, false]);
    expect(await erasedAt(endedAt + 25 * HOUR)).toEqual([true, true, true]);
  });

  it('keeps the erasure time a ticket got when it ended, whatever the branch is set to later', async () => {
    const b = await branch(5);
    const c = customer();
    const { ticket } = await issueWith(b, c);
    const cancelled = await act(b, ticket.id, 'cancel');
    const endedAt = Date.parse(cancelled.body.ticket.endedAt);
    await setRetention(b, 1);
    await job(new Date(endedAt + 2 * HOUR));
    expect((await staffTicket(b, ticket.id)).customer).toEqual(c);
    await job(new Date(endedAt + 5 * HOUR));
    expect((await staffTicket(b, ticket.id)).customer).toBeNull();
  });

  it('a ticket without contact data gets no due entry; an unfinished one is never erased', async () => {
    const b = await branch(0);
    const { ticket: bare } = await issueWith(b, null);
    expectStatus(await act(b, bare.id, 'cancel'), 200, 'cancel');
    expect((await rawTicket(bare.id)).duePk).toBeUndefined();
    const c = customer();
    const { ticket: waiting } = await issueWith(b, c);
    await job(new Date(Date.now() + 400 * 24 * HOUR));
    expect((await staffTicket(b, waiting.id)).customer).toEqual(c);
  });

  it('is idempotent: a rerun finds nothing and changes nothing', async () => {
    const b = await branch(0);
    const { ticket } = await issueWith(b);
    expectStatus(await act(b, ticket.id, 'cancel'), 200, 'cancel');
    const at = new Date(Date.now() + HOUR);
    const first = await job(at);
    expect(first.erased).toBeGreaterThanOrEqual(1);
    const erased = await rawTicket(ticket.id);
    await expect(job(at)).resolves.toMatchObject({ due: 0, erased: 0, failed: 0, complete: true });
    await expect(job(new Date(at.getTime() + HOUR))).resolves.toMatchObject({ erased: 0 });
    expect(await rawTicket(ticket.id)).toEqual(erased);
  });

  it('never Scans: its requests are Queries of the due index (one per partition) and one update per ticket', async () => {
    const b = await branch(0);
    const count = 7;
    for (let i = 0; i < count; i++) {
      const { ticket } = await issueWith(b);
      expectStatus(await act(b, ticket.id, 'cancel'), 200, 'cancel');
    }
    const m = measureDynamo();
    try {
      const run = await job(new Date(Date.now() + HOUR));
      expect(run).toMatchObject({ erased: count, failed: 0 });
      const log = m.log();
      expect(log.filter((r) => r.command === 'Scan')).toEqual([]);
      expect(new Set(log.map((r) => r.command))).toEqual(new Set(['Query', 'UpdateItem']));
      const queries = log.filter((r) => r.command === 'Query');
      expect(queries.every((q) => q.targets.every((t) => t.endsWith('/due')))).toBe(true);
      expect(queries).toHaveLength(CONTACT_SHARDS);
      expect(log.filter((r) => r.command === 'UpdateItem')).toHaveLength(count);
    } finally {
      m.stop();
    }
  });
});

describe('DELETE /v1/public/tickets/{publicToken}/contact', () => {
  it('erases at once, keeps a waiting ticket in its place, and answers 204 again', async () => {
    const b = await branch(24);
    await issueWith(b);
    const c = customer();
    const { ticket, position } = await issueWith(b, c);
    const path = `/v1/public/tickets/${ticket.publicToken}/contact`;
    const erase = await call('DELETE', path);
    expectStatus(erase, 204, 'erase');
    expect(erase.text ?? '').toBe('');
    const after = await staffTicket(b, ticket.id);
    expect(after).toMatchObject({ status: 'waiting', customer: null });
    const status = await call('GET', `/v1/public/tickets/${ticket.publicToken}`);
    expect(status.body).toMatchObject({ status: 'waiting', position });
    expect(await itemsHolding(c)).toEqual([]);
    expectStatus(await call('DELETE', path), 204, 'erase again');

    // It ends without contact data: nothing left for the job.
    expectStatus(await act(b, ticket.id, 'cancel'), 200, 'cancel');
    expect((await rawTicket(ticket.id)).duePk).toBeUndefined();
  });

  it('erases a waiting ticket’s push subscriptions and signed-up contact at once', async () => {
    const b = await branch(24);
    const { ticket } = await issueWith(b, null);
    const c = customer();
    const browser = pushSubscription();
    expectStatus(
      await call('POST', `/v1/public/tickets/${ticket.publicToken}/notify`, { body: { email: c.email } }),
      200,
      'notify',
    );
    expectStatus(
      await call('POST', `/v1/public/tickets/${ticket.publicToken}/subscriptions`, { body: browser }),
      201,
      'subscribe',
    );
    expectStatus(await call('DELETE', `/v1/public/tickets/${ticket.publicToken}/contact`), 204, 'erase');
    const raw = await rawTicket(ticket.id);
    expect(raw).toMatchObject({ status: 'waiting', customer: null });
    expect(raw.pushSubscriptions).toBeUndefined();
    expect(await itemsHolding({ ...c, name: browser.endpoint, reference: browser.keys.auth })).toEqual([]);
  });

  it('a change racing the erasure never brings the contact data back', async () => {
    const b = await branch(24);
    for (let round = 0; round < 8; round++) {
      const c = customer();
      const { ticket } = await issueWith(b, c);
      const [erased, called] = await Promise.all([
        call('DELETE', `/v1/public/tickets/${ticket.publicToken}/contact`),
        next(b, 'Counter 1'),
      ]);
      expectStatus(erased, 204, 'erase');
      expectStatus(called, 200, 'call-next');
      const completed = await act(b, ticket.id, 'complete');
      expectStatus(completed, 200, 'complete');
      expect(completed.body.ticket.customer, `round ${round}`).toBeNull();
      expect((await rawTicket(ticket.id)).duePk, `round ${round}`).toBeUndefined();
      expect(await itemsHolding(c), `round ${round}`).toEqual([]);
    }
  });

  it('erases an ended ticket before its time, and its due entry with it', async () => {
    const b = await branch(24);
    const c = customer();
    const { ticket } = await issueWith(b, c);
    expectStatus(await act(b, ticket.id, 'cancel'), 200, 'cancel');
    expect((await rawTicket(ticket.id)).duePk).toBeDefined();
    expectStatus(await call('DELETE', `/v1/public/tickets/${ticket.publicToken}/contact`), 204, 'erase');
    const raw = await rawTicket(ticket.id);
    expect(raw).toMatchObject({ customer: null, status: 'cancelled' });
    expect(raw.duePk).toBeUndefined();
    expect(await itemsHolding(c)).toEqual([]);
  });

  it('404 for a token it never gave out, another ticket’s edited token, or garbage', async () => {
    const { ticket } = await issueWith(f);
    const token = ticket.publicToken as string;
    const edited = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const bad of [edited, 'not-a-token', `${ulid()}`]) {
      const res = await call('DELETE', `/v1/public/tickets/${encodeURIComponent(bad)}/contact`);
      expect([400, 404], `${bad} → ${res.status}`).toContain(res.status);
    }
    expect((await call('DELETE', `/v1/public/tickets/${edited}/contact`)).status).toBe(404);
    expect((await staffTicket(f, ticket.id)).customer).not.toBeNull();
  });

  it('is rate-limited per client address like the other public routes', async () => {
    const { ticket } = await issueWith(f);
    const path = `/v1/public/tickets/${ticket.publicToken}/contact`;
    const sourceIp = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    // Freeze the wall clock (Date only) in the middle of a minute, so that the one-minute
    // window cannot roll over during the burst and hand out a fresh budget.
    const now = new Date();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 30_000));
      let limited: Awaited<ReturnType<typeof call>> | undefined;
      for (let i = 0; i < 130 && !limited; i++) {
        const res = await call('DELETE', path, { sourceIp });
        if (res.status === 429) limited = res;
        else expectStatus(res, 204, `erase ${i}`);
      }
      expect(limited?.headers['retry-after']).toBeTruthy();
      expectStatus(await call('DELETE', path, { sourceIp: '10.8.0.1' }), 204, 'another address');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('nothing else keeps the contact data', () => {
  it('stored idempotent answers never hold it: a replay before erasure shows it, after erasure null', async () => {
    const b = await branch(0);
    const c = customer();
    const headers = { 'idempotency-key': `k-${ulid()}` };
    const body = { queueId: queueOf(b), customer: c };
    const first = await call('POST', `${branchPath(b)}/tickets`, { token: agent, body, headers });
    expectStatus(first, 201, 'enqueue');
    expect(first.body.ticket.customer).toEqual(c);
    const called = await call('POST', `${branchPath(b)}/counters/${b.counters['Counter 1']}/call-next`, {
      token: agent,
      headers: { 'idempotency-key': `k-${ulid()}` },
    });
    expectStatus(called, 200, 'call-next');
    // Only the ticket holds it while it is kept.
    const holders = await itemsHolding(c);
    expect(holders).toEqual([`${ticketKey(tenantId, first.body.ticket.id).pk} TICKET`]);

    const replay = await call('POST', `${branchPath(b)}/tickets`, { token: agent, body, headers });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);

    expectStatus(await act(b, first.body.ticket.id, 'complete'), 200, 'complete');
    await job(new Date(Date.now() + HOUR));
    expect(await itemsHolding(c)).toEqual([]);
    const later = await call('POST', `${branchPath(b)}/tickets`, { token: agent, body, headers });
    expect(later.status).toBe(201);
    expect(later.body).toEqual({ ...first.body, ticket: { ...first.body.ticket, customer: null } });
  });

  it('reports are the same before and after erasure', async () => {
    const b = await branch(0);
    for (let i = 0; i < 3; i++) {
      const { ticket } = await issueWith(b);
      if (i === 0) expectStatus(await act(b, ticket.id, 'cancel'), 200, 'cancel');
      else {
        const t = await callTicket(b);
        expectStatus(await act(b, t.id, i === 1 ? 'complete' : 'no-show'), 200, 'end');
      }
    }
    const day = new Date().toISOString().slice(0, 10);
    const report = async () => {
      const res = await call('GET', `${branchPath(b)}/report`, {
        token: admin,
        query: { from: day, to: day, groupBy: 'queue' },
      });
      expectStatus(res, 200, 'report');
      return res.body;
    };
    const before = await report();
    expect(before.totals).toMatchObject({ issued: 3, served: 1, noShow: 1, cancelled: 1 });
    const run = await job(new Date(Date.now() + HOUR));
    expect(run.erased).toBeGreaterThanOrEqual(3);
    expect(await report()).toEqual(before);
  });
});

describe('one failing ticket', () => {
  it('never stops the others: it is logged by its ids only, counted, and erased by the next run', async () => {
    const b = await branch(0);
    const ids: string[] = [];
    const customers: Customer[] = [];
    for (let i = 0; i < 3; i++) {
      const c = customer();
      const { ticket } = await issueWith(b, c);
      expectStatus(await act(b, ticket.id, 'cancel'), 200, 'cancel');
      ids.push(ticket.id);
      customers.push(c);
    }
    const failing = ids[1]!;
    const fault = injectFault({
      command: 'UpdateItem',
      times: Number.POSITIVE_INFINITY,
      when: (input) => input.Key?.pk?.S === ticketKey(tenantId, failing).pk,
      error: () => Object.assign(new Error('injected'), { name: 'ValidationException' }),
    });
    const at = new Date(Date.now() + HOUR);
    let captured!: { result: EraseContactsResult; text: string };
    try {
      captured = await logsOf(() => job(at));
    } finally {
      fault.remove();
    }
    const { result: run, text: lines } = captured;
    const emf = lines
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => metricsOf(JSON.parse(line) as EmfLine));
    expect(emf).toContainEqual(
      expect.objectContaining({ ContactErasureFailed: { unit: 'Count', value: 1 } }),
    );
    expect(run).toMatchObject({ failed: 1, complete: true });
    expect((await staffTicket(b, ids[0]!)).customer).toBeNull();
    expect((await staffTicket(b, ids[2]!)).customer).toBeNull();
    expect((await staffTicket(b, failing)).customer).toEqual(customers[1]);
    expect(lines).toContain('contact erasure failed');
    expect(lines).toContain(failing);
    for (const c of customers) for (const v of Object.values(c)) expect(lines).not.toContain(v);

    await expect(job(at)).resolves.toMatchObject({ erased: 1, failed: 0 });
    expect((await staffTicket(b, failing)).customer).toBeNull();
  });
});

describe('logs never hold contact data', () => {
  it('across enqueue, refused requests, the status page, the counter, close-day, erasure and the job', async () => {
    const b = await branch(1);
    const c = customer();
    const others = [customer(), customer(), customer()];
    const { text } = await logsOf(async () => {
      const { ticket } = await issueWith(b, c, { 'idempotency-key': `k-${ulid()}` });
      // Refused: an unknown customer field, a field too long, a closed queue.
      const refused = [
        { queueId: queueOf(b), customer: { ...others[0], ssn: '123' } },
        { queueId: queueOf(b), customer: { ...others[1], name: `${others[1]!.name}${'x'.repeat(300)}` } },
        { queueId: ulid(), customer: others[2] },
      ];
      for (const body of refused) {
        const res = await call('POST', `${branchPath(b)}/tickets`, { token: agent, body });
        expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      }
      expectStatus(await call('GET', `/v1/public/tickets/${ticket.publicToken}`), 200, 'status');
      const second = await issueWith(b, customer());
      await callTicket(b);
      expectStatus(await call('GET', `${branchPath(b)}/tickets`, { token: agent }), 200, 'list');
      expectStatus(
        await call('DELETE', `/v1/public/tickets/${second.ticket.publicToken}/contact`),
        204,
        'erase',
      );
      await issueWith(b, customer());
      expectStatus(await call('POST', `${branchPath(b)}/close-day`, { token: admin }), 200, 'close-day');
      const run = await job(new Date(Date.now() + 2 * HOUR));
      expect(run.erased).toBeGreaterThanOrEqual(2);
    });
    // An unexpected failure carrying the ticket as it was (as a failed DynamoDB condition does).
    const failed = customer();
    const { ticket: third } = await issueWith(b, failed);
    const item = await rawTicket(third.id);
    const fault = injectFault({
      command: 'GetItem',
      times: 1,
      when: (input) => input.Key?.pk?.S === item.pk,
      error: () =>
        Object.assign(new Error('The conditional request failed'), { name: 'Unexpected', Item: item }),
    });
    let failure!: string;
    try {
      failure = (
        await logsOf(async () => {
          expect((await call('GET', `/v1/public/tickets/${third.publicToken}`)).status).toBe(500);
        })
      ).text;
    } finally {
      fault.remove();
    }
    expect(failure).toContain('unhandled error');
    for (const v of Object.values(failed)) expect(failure).not.toContain(v);
    // The capture works: the requests' access-log lines are there.
    expect(text).toContain('"message":"request"');
    expect(text).toContain('erase-contacts');
    for (const who of [c, ...others]) for (const v of Object.values(who)) expect(text).not.toContain(v);
  });
});
