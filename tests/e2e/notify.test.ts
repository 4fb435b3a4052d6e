import { randomInt } from 'node:crypto';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { ticketKey } from '#core/adapters/dynamo/items/ticket';
import { generateVapidKeys, type VapidKeys } from '#core/adapters/notify/web-push';
import { resetVapidKeys, vapidEnvironment } from '#functions/commons/vapid-keys';
import { notifyRecords } from '#functions/notify';
import { type LiveServer, startLiveServer } from '#local/live';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { type OutboxMessage, outboxMessages, untilOutbox } from '#tests/support/outbox';
import { type PushReceiver, startPushReceiver } from '#tests/support/push-receiver';
import { startTestServer, type TestServer } from '#tests/support/server';
import { mintToken } from '#tests/support/tokens';

/**
 * Near-turn and called messages over HTTP, as `npm start` runs them: the local server, DynamoDB
 * Local's change stream followed by the push server with the message sender beside the fan-out
 * — here twice, on the same records, as a retried or duplicated stream batch would — every
 * message in the outbox, web push also sent to a push service of our own that decrypts it.
 */

let env: TestEnv;
let server: TestServer;
let live: LiveServer;
let receiver: PushReceiver;
let vapid: VapidKeys;
const tenantId = ulid();
let staff: string;

beforeAll(async () => {
  env = await createTestEnv({ stream: true });
  vapid = generateVapidKeys();
  Object.assign(process.env, vapidEnvironment(vapid));
  resetVapidKeys();
  server = await startTestServer();
  receiver = await startPushReceiver();
  live = await startLiveServer({
    port: 0,
    host: '127.0.0.1',
    endpoint: inject('dynamoEndpoint'),
    tableName: env.tableName,
    log: () => {},
    consumers: [
      { name: 'notify', onRecords: notifyRecords },
      { name: 'notify again', onRecords: notifyRecords },
    ],
  });
  staff = await mintToken(env.signingKey, { tenantId, role: 'admin' });
});
afterAll(async () => {
  await live?.close();
  await receiver?.close();
  await server?.close();
});

interface Answer {
  status: number;
  contentType: string | null;
  body: any;
}

async function api(method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: text ? JSON.parse(text) : null,
  };
}

const expectStatus = (answer: Answer, status: number, what: string) =>
  expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(status);

const branch = () =>
  createBranchFixture({
    tenantId,
    agingMinutes: 0,
    queues: { G: { priority: 'General' }, H: { priority: 'General' }, S: { priority: 'General' } },
    counters: {
      'Counter 1': { queues: ['G'], allowStealing: false },
      'Counter 2': { queues: ['G'], allowStealing: false },
      'Counter 3': { queues: ['H'], allowStealing: false },
    },
  });

const path = (b: BranchFixture) => `/v1/branches/${b.branchId}`;

async function issue(b: BranchFixture, prefix: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', `${path(b)}/tickets`, { queueId: b.queues[prefix]!.id, ...extra }, staff);
  expectStatus(res, 201, 'enqueue');
  return res.body as { ticket: { id: string; code: string; publicToken: string }; position: number };
}

/** A customer asking for SMS and email, with contact data unique to the test. */
function contact() {
  const digits = String(randomInt(10_000_000)).padStart(7, '0');
  return { phone: `+34 61${digits}`, email: `c-${ulid().toLowerCase()}@example.org` };
}
const e164 = (phone: string) => phone.replace(/\s/g, '');

const next = (b: BranchFixture, counter: string) =>
  api('POST', `${path(b)}/counters/${b.counters[counter]}/call-next`, undefined, staff);
const act = (b: BranchFixture, id: string, action: string, body?: unknown) =>
  api('POST', `${path(b)}/tickets/${id}/${action}`, body, staff);

/**
 * Waits until every change made so far has been through the message sender: a ticket of queue
 * S asks for email at position 1, and its message comes after everything before it in the
 * stream. It is cancelled afterwards, so the next one is at position 1 again.
 */
async function settle(b: BranchFixture) {
  const email = `settle-${ulid().toLowerCase()}@example.org`;
  const { ticket } = await issue(b, 'S', { customer: { email }, notify: ['email'] });
  await untilOutbox(env.outboxDir, (all) => all.some((m) => m.to === email));
  expectStatus(await api('DELETE', `/v1/public/tickets/${ticket.publicToken}`), 200, 'cancel settle ticket');
}

const messagesTo = (...to: string[]) => outboxMessages(env.outboxDir).filter((m) => to.includes(m.to));
const summary = (messages: OutboxMessage[]) => messages.map((m) => `${m.event} ${m.channel}`).sort();

const rawTicket = async (id: string) =>
  (await dynamo().send(new GetCommand({ TableName: tableName(), Key: ticketKey(tenantId, id) }))).Item!;

async function until<T>(found: () => T | undefined | false, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = found();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('web push, end to end', () => {
  it('a subscribed browser gets near and called, encrypted for it (RFC 8291) and signed with the VAPID key (RFC 8292)', async () => {
    const b = await branch();
    const key = await api('GET', '/v1/public/push-key');
    expectStatus(key, 200, 'push-key');
    expect(key.body).toEqual({ publicKey: vapid.publicKey });

    for (let i = 0; i < 4; i++) await issue(b, 'G');
    const { ticket, position } = await issue(b, 'G');
    expect(position).toBe(5);
    const browser = receiver.subscriber();
    const subscribed = await api(
      'POST',
      `/v1/public/tickets/${ticket.publicToken}/subscriptions`,
      browser.subscription,
    );
    expectStatus(subscribed, 201, 'subscribe');
    expect(subscribed.body).toEqual({
      endpoint: browser.subscription.endpoint,
      createdAt: expect.any(String),
    });

    // Positions 5 and 4: nothing yet.
    expectStatus(await next(b, 'Counter 1'), 200, 'call 1');
    await settle(b);
    expect(browser.received).toEqual([]);

    // Position 3 (the branch's notifyAtPosition, default 3): near.
    expectStatus(await next(b, 'Counter 2'), 200, 'call 2');
    await until(() => browser.received.length >= 1, 'the near push');
    const [near] = browser.received;
    expect(JSON.parse(near!.payload)).toEqual({
      title: expect.stringContaining(ticket.code),
      body: expect.stringContaining('You are number 3 in line.'),
      url: null,
      event: 'near',
      tag: ticket.code,
    });
    const now = Date.now() / 1000;
    expect(near!.vapid).toMatchObject({ publicKey: vapid.publicKey, verified: true });
    expect(near!.vapid.claims.aud).toBe(receiver.url);
    expect(near!.vapid.claims.sub).toMatch(/^mailto:/);
    expect(near!.vapid.claims.exp).toBeGreaterThan(now);
    expect(near!.vapid.claims.exp).toBeLessThanOrEqual(now + 24 * 3600 + 60);
    expect(Number(near!.headers.ttl)).toBeGreaterThan(0);

    // Its call, at Counter 1: called, with the counter's name.
    let called: string | undefined;
    for (let round = 0; round < 6 && !called; round++) {
      for (const counter of ['Counter 1', 'Counter 2']) {
        const list = await api('GET', `${path(b)}/tickets?status=called`, undefined, staff);
        const here = list.body.items.find((t: { counterId: string }) => t.counterId === b.counters[counter]);
        if (here) expectStatus(await act(b, here.id, 'complete'), 200, 'complete');
        const res = await next(b, counter);
        if (res.body?.ticket?.id === ticket.id) {
          called = counter;
          break;
        }
      }
    }
    expect(called).toBeDefined();
    await until(() => browser.received.length >= 2, 'the called push');
    const payload = JSON.parse(browser.received[1]!.payload);
    expect(payload).toMatchObject({ event: 'called', tag: ticket.code });
    expect(payload.body).toContain(called!);
    expect(browser.received[1]!.vapid.verified).toBe(true);

    await settle(b);
    expect(browser.received).toHaveLength(2);
    expect(receiver.errors).toEqual([]);
    expect(summary(messagesTo(browser.subscription.endpoint))).toEqual(['called webpush', 'near webpush']);
  });
});

describe('each message at most once per ticket, event and channel', () => {
  it('under two counters calling at once, recalls, transfers and reassigns, with two senders on the stream', async () => {
    const b = await branch();
    const people = Array.from({ length: 8 }, contact);
    const tickets = [];
    for (const customer of people)
      tickets.push((await issue(b, 'G', { customer, notify: ['sms', 'email'] })).ticket);
    await settle(b);
    // The first three were near at issue.
    for (const [i, customer] of people.entries())
      expect(summary(messagesTo(e164(customer.phone), customer.email)), `ticket ${i}`).toEqual(
        i < 3 ? ['near email', 'near sms'] : [],
      );

    const [one, two] = await Promise.all([next(b, 'Counter 1'), next(b, 'Counter 2')]);
    expectStatus(one, 200, 'call at 1');
    expectStatus(two, 200, 'call at 2');
    const [a, c] = [one.body.ticket.id as string, two.body.ticket.id as string];
    expect(a).not.toBe(c);
    const recalls = await Promise.all([act(b, a, 'recall'), act(b, a, 'recall'), act(b, c, 'recall')]);
    for (const r of recalls) expect([200, 409]).toContain(r.status);
    // A called ticket back to waiting at the head of its queue (near again, if it could be),
    // while waiting tickets move to H and counters call.
    const moves = await Promise.all([
      act(b, a, 'transfer', { queueId: b.queues.G!.id, placement: 'keep' }),
      api(
        'POST',
        `${path(b)}/reassign`,
        { fromQueueId: b.queues.G!.id, toQueueId: b.queues.H!.id, count: 2 },
        staff,
      ),
      next(b, 'Counter 3'),
      act(b, c, 'recall'),
    ]);
    for (const r of moves) expect([200, 204, 409]).toContain(r.status);

    // Then every ticket is called (and called again after a transfer back), completing as we go.
    for (let round = 0; round < 30; round++) {
      const calls = await Promise.all(['Counter 1', 'Counter 2', 'Counter 3'].map((n) => next(b, n)));
      const called = calls.filter((r) => r.status === 200).map((r) => r.body.ticket.id as string);
      const busy = calls.some((r) => r.status === 409);
      if (called.length === 0 && !busy) break;
      const list = await api('GET', `${path(b)}/tickets?status=called`, undefined, staff);
      await Promise.all(
        list.body.items.map((t: { id: string }, i: number) =>
          round === 1 && i === 0
            ? act(b, t.id, 'transfer', { queueId: b.queues.H!.id, placement: 'back' })
            : act(b, t.id, 'complete'),
        ),
      );
    }
    const left = await api('GET', `${path(b)}/tickets?status=waiting`, undefined, staff);
    expect(left.body.items.filter((t: { queueId: string }) => t.queueId !== b.queues.S!.id)).toEqual([]);

    await settle(b);
    for (const [i, customer] of people.entries()) {
      const got = summary(messagesTo(e164(customer.phone), customer.email));
      // Called once per channel, every one; near at most once (a ticket called before its
      // near was sent gets none: the near would come after the call).
      expect(
        got.filter((m) => m.startsWith('called')),
        `ticket ${i}`,
      ).toEqual(['called email', 'called sms']);
      const near = got.filter((m) => m.startsWith('near'));
      expect(near.length === 0 || near.join() === 'near email,near sms', `ticket ${i}: ${near}`).toBe(true);
      if (i < 3) expect(near, `ticket ${i}`).toEqual(['near email', 'near sms']);
    }
    expect(tickets).toHaveLength(8);
  });
});

describe('a scripted day', () => {
  it('a ticket that asked for SMS and email gets one near and one called per channel, through transfers and recalls', async () => {
    const b = await branch();
    const others = [];
    for (let i = 0; i < 5; i++) others.push((await issue(b, 'G')).ticket);
    const customer = contact();
    const x = await issue(b, 'G', { customer, notify: ['sms', 'email'] });
    expect(x.position).toBe(6);
    await issue(b, 'G');
    const mine = () => messagesTo(e164(customer.phone), customer.email);

    // One served, one moved to H keeping its place: position 4.
    const first = await next(b, 'Counter 1');
    expect(first.body.ticket.id).toBe(others[0]!.id);
    expectStatus(await act(b, others[0]!.id, 'complete'), 200, 'complete');
    expectStatus(await act(b, others[1]!.id, 'transfer', { queueId: b.queues.H!.id }), 200, 'transfer');
    await settle(b);
    expect(mine()).toEqual([]);

    // One called, recalled twice, and a no-show: position 3, near.
    expect((await next(b, 'Counter 2')).body.ticket.id).toBe(others[2]!.id);
    expectStatus(await act(b, others[2]!.id, 'recall'), 200, 'recall');
    expectStatus(await act(b, others[2]!.id, 'recall'), 200, 'recall');
    expectStatus(await act(b, others[2]!.id, 'no-show'), 200, 'no-show');
    await untilOutbox(env.outboxDir, () => mine().length >= 2);
    const near = mine();
    expect(summary(near)).toEqual(['near email', 'near sms']);
    for (const m of near) {
      expect(m).toMatchObject({
        event: 'near',
        ticketCode: x.ticket.code,
        lang: 'en',
        sentAt: expect.any(String),
      });
      expect(m.text).toContain(x.ticket.code);
      expect(m.text).toContain('You are number 3 in line.');
    }
    expect(near.find((m) => m.channel === 'sms')!.to).toBe(e164(customer.phone));

    // Near again and again — moved to H (behind the one there), everything back to G — nothing new.
    expectStatus(await act(b, x.ticket.id, 'transfer', { queueId: b.queues.H!.id }), 200, 'transfer to H');
    const back = await api(
      'POST',
      `${path(b)}/reassign`,
      { fromQueueId: b.queues.H!.id, toQueueId: b.queues.G!.id },
      staff,
    );
    expectStatus(back, 200, 'reassign back');
    await settle(b);
    expect(mine()).toHaveLength(2);

    // Called at Counter 1: called, with the counter's name. Recalled twice, sent back to the
    // end of the line and called again at Counter 2: nothing more.
    let guard = 0;
    for (;;) {
      const res = await next(b, 'Counter 1');
      expectStatus(res, 200, 'call at 1');
      if (res.body.ticket.id === x.ticket.id) break;
      expectStatus(await act(b, res.body.ticket.id, 'complete'), 200, 'complete');
      expect(++guard).toBeLessThan(10);
    }
    await untilOutbox(env.outboxDir, () => mine().length >= 4);
    expectStatus(await act(b, x.ticket.id, 'recall'), 200, 'recall');
    expectStatus(await act(b, x.ticket.id, 'recall'), 200, 'recall');
    expectStatus(
      await act(b, x.ticket.id, 'transfer', { queueId: b.queues.G!.id, placement: 'back' }),
      200,
      'back of the line',
    );
    for (;;) {
      const res = await next(b, 'Counter 2');
      expectStatus(res, 200, 'call at 2');
      if (res.body.ticket.id === x.ticket.id) break;
      expectStatus(await act(b, res.body.ticket.id, 'complete'), 200, 'complete');
      expect(++guard).toBeLessThan(20);
    }
    expectStatus(await act(b, x.ticket.id, 'complete'), 200, 'complete');
    await settle(b);

    const day = mine();
    expect(summary(day)).toEqual(['called email', 'called sms', 'near email', 'near sms']);
    for (const m of day.filter((m) => m.event === 'called')) {
      expect(m.text).toContain('Please go to Counter 1');
      expect(m.ticketCode).toBe(x.ticket.code);
    }
  });

  it('speaks the branch’s language, and the status page can sign a waiting ticket up later', async () => {
    const b = await branch();
    expectStatus(await api('PATCH', path(b), { language: 'es' }, staff), 200, 'language');
    const { ticket } = await issue(b, 'G');
    const customer = contact();
    const signed = await api('POST', `/v1/public/tickets/${ticket.publicToken}/notify`, customer);
    expectStatus(signed, 200, 'notify');
    expect(signed.body).toMatchObject({ code: ticket.code, status: 'waiting', position: 1, language: 'es' });
    await untilOutbox(env.outboxDir, () => messagesTo(e164(customer.phone), customer.email).length >= 2);
    const got = messagesTo(e164(customer.phone), customer.email);
    expect(summary(got)).toEqual(['near email', 'near sms']);
    for (const m of got) {
      expect(m.lang).toBe('es');
      expect(m.text).toBe(
        `Turno ${ticket.code} en ${await branchName(b)}: pronto le toca. Es el número 1 de la cola.`,
      );
    }
  });
});

async function branchName(b: BranchFixture): Promise<string> {
  const res = await api('GET', path(b), undefined, staff);
  return res.body.name;
}

describe('bad input changes nothing', () => {
  it('enqueue: notify without the contact it needs, or an unknown channel → 400, no ticket', async () => {
    const b = await branch();
    const list = async () => (await api('GET', `${path(b)}/tickets`, undefined, staff)).body.items.length;
    const before = await list();
    for (const [body, field] of [
      [{ notify: ['sms'] }, 'body.customer.phone'],
      [{ notify: ['sms'], customer: { email: 'a@example.org' } }, 'body.customer.phone'],
      [{ notify: ['sms'], customer: { phone: '600 11 22 33' } }, 'body.customer.phone'],
      [{ notify: ['email'], customer: { phone: '+34600112233' } }, 'body.customer.email'],
      [{ notify: ['fax'], customer: { phone: '+34600112233' } }, undefined],
      [
        { notify: ['sms', 'email', 'sms'], customer: { phone: '+34600112233', email: 'a@example.org' } },
        undefined,
      ],
      [{ notify: 'sms', customer: { phone: '+34600112233' } }, undefined],
    ] as const) {
      const res = await api('POST', `${path(b)}/tickets`, { queueId: b.queues.G!.id, ...body }, staff);
      expectStatus(res, 400, JSON.stringify(body));
      expect(res.contentType).toBe('application/problem+json');
      if (field) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect(await list()).toBe(before);
    // The same with the contact: stored on the ticket.
    const ok = await issue(b, 'G', { customer: { phone: '+34 600 11 22 33' }, notify: ['sms', 'sms'] });
    expect((await rawTicket(ok.ticket.id)).notify).toEqual(['sms']);
  });

  it('notify and subscriptions: bad bodies → 400, unknown token → 404, an ended ticket → 409; the ticket unchanged', async () => {
    const b = await branch();
    const { ticket } = await issue(b, 'G', { customer: { name: 'Ada' } });
    const before = await rawTicket(ticket.id);
    const notify = `/v1/public/tickets/${ticket.publicToken}/notify`;
    const subscribe = `/v1/public/tickets/${ticket.publicToken}/subscriptions`;
    const good = receiver.subscriber().subscription;
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 0xff)]).toString('base64url');
    for (const [route, body] of [
      [notify, {}],
      [notify, { phone: '12' }],
      [notify, { phone: '600112233' }],
      [notify, { email: 'nope' }],
      [notify, { phone: '+34600112233', fax: '1' }],
      [subscribe, {}],
      [subscribe, { ...good, endpoint: 'ftp://push.example.org/x' }],
      [subscribe, { ...good, endpoint: 'http://push.example.org/x' }],
      [subscribe, { ...good, endpoint: 'not a url' }],
      [subscribe, { ...good, keys: { ...good.keys, p256dh: good.keys.p256dh.slice(1) } }],
      [subscribe, { ...good, keys: { ...good.keys, p256dh: offCurve } }],
      [subscribe, { ...good, keys: { ...good.keys, auth: 'short' } }],
      [subscribe, { ...good, keys: { p256dh: good.keys.p256dh } }],
      [subscribe, { ...good, expirationTime: null }],
    ] as const) {
      const res = await api('POST', route, body);
      expectStatus(res, 400, `${route.split('/').pop()} ${JSON.stringify(body)}`);
      expect(res.contentType).toBe('application/problem+json');
    }
    const unknown = `/v1/public/tickets/${'A'.repeat(64)}`;
    expectStatus(await api('POST', `${unknown}/notify`, { email: 'a@example.org' }), 404, 'unknown notify');
    expectStatus(await api('POST', `${unknown}/subscriptions`, good), 404, 'unknown subscribe');
    expect(await rawTicket(ticket.id)).toEqual(before);

    expectStatus(await api('DELETE', `/v1/public/tickets/${ticket.publicToken}`), 200, 'cancel');
    const ended = await rawTicket(ticket.id);
    expectStatus(await api('POST', notify, { email: 'a@example.org' }), 409, 'notify an ended ticket');
    expectStatus(await api('POST', subscribe, good), 409, 'subscribe an ended ticket');
    expect(await rawTicket(ticket.id)).toEqual(ended);
  });

  it('a browser subscribing again replaces its keys; a ticket holds at most 5 browsers', async () => {
    const b = await branch();
    const { ticket } = await issue(b, 'G');
    const subscribe = `/v1/public/tickets/${ticket.publicToken}/subscriptions`;
    const browser = receiver.subscriber().subscription;
    expectStatus(await api('POST', subscribe, browser), 201, 'subscribe');
    const renewed = { ...browser, keys: receiver.subscriber().subscription.keys };
    expectStatus(await api('POST', subscribe, renewed), 201, 'subscribe again');
    expect((await rawTicket(ticket.id)).pushSubscriptions).toEqual([
      { ...renewed, createdAt: expect.any(String) },
    ]);
    for (let i = 0; i < 4; i++)
      expectStatus(await api('POST', subscribe, receiver.subscriber().subscription), 201, `browser ${i + 2}`);
    const full = await rawTicket(ticket.id);
    expectStatus(await api('POST', subscribe, receiver.subscriber().subscription), 409, 'a sixth');
    expect(await rawTicket(ticket.id)).toEqual(full);
  });
});

describe('contact data', () => {
  it('the claims keep none of it: once the customer erases theirs, no item holds the phone, email or endpoint', async () => {
    const b = await branch();
    const customer = contact();
    const { ticket } = await issue(b, 'G', { customer, notify: ['sms', 'email'] });
    const browser = receiver.subscriber();
    expectStatus(
      await api('POST', `/v1/public/tickets/${ticket.publicToken}/subscriptions`, browser.subscription),
      201,
      'subscribe',
    );
    await untilOutbox(env.outboxDir, () => messagesTo(e164(customer.phone), customer.email).length >= 2);
    await until(() => browser.received.length >= 1, 'the near push');
    expectStatus(await api('DELETE', `/v1/public/tickets/${ticket.publicToken}/contact`), 204, 'erase');
    const values = [customer.phone, e164(customer.phone), customer.email, browser.subscription.endpoint];
    const holding: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new ScanCommand({ TableName: tableName(), ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? [])
        if (values.some((v) => JSON.stringify(item).includes(v))) holding.push(`${item.pk} ${item.sk}`);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    expect(holding).toEqual([]);
    // Called now, it reaches nobody.
    expectStatus(await next(b, 'Counter 1'), 200, 'call');
    await settle(b);
    expect(summary(messagesTo(e164(customer.phone), customer.email))).toEqual(['near email', 'near sms']);
    expect(browser.received).toHaveLength(1);
  });
});
