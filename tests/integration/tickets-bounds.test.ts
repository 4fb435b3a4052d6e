import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { queueLiveKey, waitingAttribute } from '#core/adapters/dynamo/items/queue';
import { ticketToItem } from '#core/adapters/dynamo/items/ticket';
import { dynamoTicketStore } from '#core/adapters/dynamo/ticket-store';
import type { TicketRecord } from '#core/domain/ticket';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/**
 * Work a request does is bounded whatever the data: a filtered ticket list stops reading after
 * its read budget (a short page with a cursor), and a reassign moves at most 100 tickets and
 * reports how many are left. Measured in DynamoDB requests, never in time.
 */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

interface World {
  f: BranchFixture;
  token: string;
  base: string;
}

async function world(): Promise<World> {
  const f = await createBranchFixture({
    queues: { A: { priority: 'General' }, B: { priority: 'General' } },
    counters: { D: { queues: ['A', 'B'] } },
  });
  const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  return { f, token, base: `/v1/branches/${f.branchId}` };
}

async function measured<T>(fn: () => Promise<T>) {
  const m = measureDynamo();
  try {
    const result = await fn();
    return {
      result,
      queries: m.requests('Query'),
      writes: m.requests('TransactWriteItems'),
      requests: m.requests(),
    };
  } finally {
    m.stop();
  }
}

/** Writes ticket records straight into the table, 25 a request. */
async function putTickets(w: World, records: TicketRecord[]) {
  for (let i = 0; i < records.length; i += 25) {
    await dynamo().send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName()]: records
            .slice(i, i + 25)
            .map((r) => ({ PutRequest: { Item: ticketToItem(w.f.tenantId, r) } })),
        },
      }),
    );
  }
}

/** One ticket issued through the API, as stored: the template of the copies a test writes. */
async function issuedRecord(w: World, queue: string) {
  const res = await call('POST', `${w.base}/tickets`, {
    token: w.token,
    body: { queueId: w.f.queues[queue]!.id },
  });
  expect(res.status).toBe(201);
  return (await dynamoTicketStore.get(w.f.tenantId, res.body.ticket.id))!;
}

const copyOf = (template: TicketRecord, id: string, changes: Partial<TicketRecord>): TicketRecord => ({
  ...template,
  id,
  publicToken: `${template.publicToken.slice(0, 38)}${id}`,
  ...changes,
});

/**
 * `n` waiting tickets in a queue: one issued through the API and n − 1 copies of it written
 * straight into the table, with the live counts to match (what n enqueues leave behind,
 * without their time). Their ids in call order.
 */
async function waitingTickets(w: World, queue: string, n: number) {
  const template = await issuedRecord(w, queue);
  const nextId = monotonicFactory();
  const start = Date.parse(template.queuedAt);
  const copies = Array.from({ length: n - 1 }, (_, i) => {
    const at = new Date(start + 1 + i).toISOString();
    const number = template.number + 1 + i;
    return copyOf(template, nextId(), {
      number,
      code: `${queue}-${String(number).padStart(3, '0')}`,
      createdAt: at,
      queuedAt: at,
      updatedAt: at,
    });
  });
  await putTickets(w, copies);
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: queueLiveKey(w.f.tenantId, w.f.branchId, w.f.queues[queue]!.id, 0),
      UpdateExpression: 'ADD #w :n, v :n',
      ExpressionAttributeNames: { '#w': waitingAttribute(template.rank) },
      ExpressionAttributeValues: { ':n': n - 1 },
    }),
  );
  return [template.id, ...copies.map((t) => t.id)];
}

describe('filtered ticket lists stop after a read budget', () => {
  let w: World;
  /** The day's tickets in list order: one waiting, 1,200 done, then 2 cancelled. */
  const ids: Record<'waiting' | 'done' | 'cancelled', string[]> = { waiting: [], done: [], cancelled: [] };

  beforeAll(async () => {
    w = await world();
    const template = await issuedRecord(w, 'A');
    ids.waiting.push(template.id);
    // Finished tickets (they touch no live counts), with ids after the template's: they list after it.
    const nextId = monotonicFactory();
    const finished = (status: 'done' | 'cancelled', n: number) =>
      Array.from({ length: n }, () => {
        const id = nextId();
        ids[status].push(id);
        return copyOf(template, id, { status });
      });
    await putTickets(w, [...finished('done', 1_200), ...finished('cancelled', 2)]);
  });

  const list = (query: Record<string, string>) =>
    measured(() => call('GET', `${w.base}/tickets`, { token: w.token, query }));

  it('2 matches among 1,203: short pages with a cursor, each within the budget, every match exactly once', async () => {
    const found: string[] = [];
    let cursor: string | undefined;
    const pages = [];
    do {
      const page = await list({ status: 'cancelled', limit: '50', ...(cursor && { cursor }) });
      expect(page.result.status, page.result.text).toBe(200);
      // The setup read, then at most 1,000 items in pieces of 250.
      expect(page.queries).toBeLessThanOrEqual(1 + 4);
      pages.push(page.result.body.items.length);
      found.push(...page.result.body.items.map((t: any) => t.id));
      cursor = page.result.body.nextCursor ?? undefined;
    } while (cursor);
    // The first page read its budget and found nothing yet: an empty page that says go on.
    expect(pages[0]).toBe(0);
    expect(pages.length).toBe(2);
    expect(found).toEqual(ids.cancelled);
  });

  it('more matches than the page holds: the page is full and the next one goes on right after it', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 3; i++) {
      const page = await list({ status: 'done', limit: '10', ...(cursor && { cursor }) });
      expect(page.queries).toBe(1 + 1);
      expect(page.result.body.items).toHaveLength(10);
      seen.push(...page.result.body.items.map((t: any) => t.id));
      cursor = page.result.body.nextCursor;
    }
    expect(seen).toEqual(ids.done.slice(0, 30));
  });

  it('unfiltered: one read of `limit` items', async () => {
    const page = await list({ limit: '100' });
    expect(page.queries).toBe(1 + 1);
    expect(page.result.body.items.map((t: any) => t.id)).toEqual([...ids.waiting, ...ids.done.slice(0, 99)]);
    expect(page.result.body.nextCursor).not.toBeNull();
  });
});

describe('reassign moves at most 100 tickets a request and reports the rest', () => {
  // 425 moves of one transaction each: slow on a loaded machine, hence the longer timeout.
  it('count, all and balance over 250 waiting tickets: chunks of 100, `remaining` until done, nothing lost or moved twice', async () => {
    const w = await world();
    const A = w.f.queues.A!.id;
    const B = w.f.queues.B!.id;
    const issued = await waitingTickets(w, 'A', 250);
    const reassign = (body: Record<string, unknown>) =>
      measured(() => call('POST', `${w.base}/reassign`, { token: w.token, body }));

    // A count above the bound: the best 100 in call order, 50 of the count left.
    const first = await reassign({ fromQueueId: A, toQueueId: B, count: 150 });
    expect(first.result.status, first.result.text).toBe(200);
    expect(first.result.body).toEqual({ moved: issued.slice(0, 100), count: 100, remaining: 50 });
    // Setup, one read of the source's one rank partition (100 items), one transaction a ticket.
    expect(first.writes).toBe(100);
    expect(first.requests).toBe(1 + 1 + 100);

    // All: again 100 a request, until nothing is left.
    const second = await reassign({ fromQueueId: A, toQueueId: B });
    expect(second.result.body).toEqual({ moved: issued.slice(100, 200), count: 100, remaining: 50 });
    const third = await reassign({ fromQueueId: A, toQueueId: B });
    expect(third.result.body).toEqual({ moved: issued.slice(200), count: 50, remaining: 0 });

    // Balance 0 / 250: 125 moves, B's latest arrivals, in two requests.
    const b1 = await reassign({ mode: 'balance', queueIds: [A, B] });
    expect(b1.result.body).toMatchObject({ count: 100, remaining: 25 });
    expect(b1.writes).toBe(100);
    const b2 = await reassign({ mode: 'balance', queueIds: [A, B] });
    expect(b2.result.body).toMatchObject({ count: 25, remaining: 0 });
    const moved = [...b1.result.body.moved, ...b2.result.body.moved];
    expect(moved).toEqual(issued.slice(125).reverse());

    const queues = (await call('GET', `${w.base}/queues`, { token: w.token })).body.items;
    expect(queues.map((q: any) => q.waiting)).toEqual([125, 125]);
    const waiting = async (queueId: string) => {
      const items: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await call('GET', `${w.base}/tickets`, {
          token: w.token,
          query: { queueId, status: 'waiting', limit: '100', ...(cursor && { cursor }) },
        });
        items.push(...page.body.items.map((t: any) => t.id));
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      return items.sort();
    };
    expect(await waiting(A)).toEqual(issued.slice(125).sort());
    expect(await waiting(B)).toEqual(issued.slice(0, 125).sort());
  }, 240_000);
});
