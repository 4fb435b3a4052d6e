import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { dynamoLiveConnectionStore as registry } from '#core/adapters/dynamo/live-connection-store';
import { revocationWrite } from '#core/adapters/dynamo/revocation-store';
import { branchChannel } from '#core/domain/live';
import { handler as disconnect } from '#functions/live-disconnect';
import { handler as fanOut } from '#functions/live-fan-out';
import { handler as message } from '#functions/live-message';
import { followStream } from '#local/live';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { expectStatus, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * The AWS push path with real parts but API Gateway: the WebSocket route handlers and the
 * stream's fan-out function against DynamoDB Local (its change stream feeding the fan-out as a
 * Lambda event source would), sending to a stand-in of the WebSocket API's management endpoint
 * that records PostToConnection calls and answers 410 for connections that are gone.
 */

let env: TestEnv;
let a1: BranchFixture;
let b1: BranchFixture;
let admin: string;
let endpoint: http.Server;
let stream: { stop(): Promise<void> };
const calls = ticketCalls(() => admin);
/** connectionId → the messages posted to it. */
const posted = new Map<string, any[]>();
const gone = new Set<string>();

const received = (connectionId: string) => posted.get(connectionId) ?? [];
const frame = (connectionId: string, body: unknown) =>
  message({ requestContext: { connectionId }, body: JSON.stringify(body) } as never);

async function until(connectionId: string, match: (m: any) => boolean, from = 0) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = received(connectionId).slice(from).find(match);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`${connectionId}: no such message in ${JSON.stringify(received(connectionId))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  env = await createTestEnv({ stream: true });
  a1 = await createBranchFixture({});
  b1 = await createBranchFixture({});
  admin = await mintToken(env.signingKey, { tenantId: a1.tenantId, role: 'admin' });
  endpoint = http.createServer((req, res) => {
    const id = decodeURIComponent(/\/@connections\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (gone.has(id)) {
        res.writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' });
        res.end('{"message":"Gone"}');
        return;
      }
      posted.set(id, [...received(id), JSON.parse(body)]);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
  process.env.LIVE_MANAGEMENT_URL = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/$default`;
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  stream = followStream(
    { endpoint: inject('dynamoEndpoint'), tableName: env.tableName },
    (records) => fanOut({ Records: records } as never),
    () => {},
  );
});
afterAll(async () => {
  await stream?.stop();
  endpoint?.close();
});

const display = (f: BranchFixture) => mintToken(env.signingKey, { tenantId: f.tenantId, role: 'display' });

describe('the AWS push path', () => {
  it('subscribes register channels; a commit reaches their connections and nobody else; gone and closed connections leave the registry', async () => {
    await frame('board-1', { action: 'subscribe', branchId: a1.branchId, token: await display(a1) });
    await frame('board-2', { action: 'subscribe', branchId: a1.branchId, token: await display(a1) });
    expect(await until('board-1', (m) => m.type === 'subscribed')).toMatchObject({
      channel: `branch/${a1.branchId}`,
      board: { branchId: a1.branchId },
    });
    // Another tenant's staff naming this branch: refused, nothing registered.
    await frame('intruder', { action: 'subscribe', branchId: a1.branchId, token: await display(b1) });
    expect(await until('intruder', (m) => m.type === 'refused')).toMatchObject({ status: 404 });
    await frame('garbage', { action: 'subscribe' });
    expect(await until('garbage', (m) => m.type === 'refused')).toMatchObject({ status: 400 });
    expect(
      (await registry.listeners(branchChannel(a1.tenantId, a1.branchId))).map((s) => s.connectionId).sort(),
    ).toEqual(['board-1', 'board-2']);

    const first = await calls.inQueue(a1, 'G');
    const second = await calls.inQueue(a1, 'G');
    await frame('phone', { action: 'subscribe', publicToken: second.ticket.publicToken });
    expect(await until('phone', (m) => m.type === 'subscribed')).toMatchObject({
      ticket: { code: second.ticket.code, position: 2 },
    });

    const from = received('board-1').length;
    expectStatus(await calls.next(a1, 'Counter 1'), 200, 'call-next');
    const called = (m: any) =>
      m.type === 'board' && m.board.counters.some((c: any) => c.current?.code === first.ticket.code);
    await until('board-1', called, from);
    await until('board-2', called, from);
    expect(await until('phone', (m) => m.type === 'ticket' && m.ticket.position === 1)).toMatchObject({
      channel: `ticket/${second.ticket.publicToken}`,
      ticket: { code: second.ticket.code, status: 'waiting' },
    });
    expect(received('intruder')).toHaveLength(1);
    expect(JSON.stringify(received('board-1'))).not.toContain(first.ticket.publicToken);

    // A connection API Gateway says is gone (410) leaves the registry at the next message.
    gone.add('board-2');
    const next = received('board-1').length;
    await calls.inQueue(a1, 'G');
    await until('board-1', (m) => m.type === 'board', next);
    await expect
      .poll(async () =>
        (await registry.listeners(branchChannel(a1.tenantId, a1.branchId))).map((s) => s.connectionId),
      )
      .toEqual(['board-1']);

    // $disconnect removes the connection's channels; unsubscribe removes one.
    await disconnect({ requestContext: { connectionId: 'phone' } } as never);
    expect(await registry.ticketsOf(a1.tenantId, a1.branchId)).toEqual([]);
    await frame('board-1', { action: 'unsubscribe', channel: `branch/${a1.branchId}` });
    expect(await registry.listeners(branchChannel(a1.tenantId, a1.branchId))).toEqual([]);
  });

  it('a branch channel whose token expired or was revoked ends (401) at the next change and leaves the registry', async () => {
    const c1 = await createBranchFixture({});
    // Let the stream catch up with the fixture's writes before anyone listens to c1: a late
    // one would check the channels early and cache the tenant's revocations (≤ 30 s, as every
    // verifier does) before the revocation below. A change of a1 seen by a probe of a1 means
    // every record written before it has been handled.
    await frame('probe', { action: 'subscribe', branchId: a1.branchId, token: await display(a1) });
    await until('probe', (m) => m.type === 'subscribed');
    await calls.inQueue(a1, 'G');
    await until('probe', (m) => m.type === 'board');
    const userId = ulid();
    const shortLived = await mintToken(
      env.signingKey,
      { tenantId: c1.tenantId, role: 'display' },
      { expiresIn: '2s' },
    );
    const revoked = await mintToken(env.signingKey, { tenantId: c1.tenantId, role: 'display', userId });
    const valid = await display(c1);
    await frame('expiring', { action: 'subscribe', branchId: c1.branchId, token: shortLived });
    await frame('revoked', { action: 'subscribe', branchId: c1.branchId, token: revoked });
    await frame('valid', { action: 'subscribe', branchId: c1.branchId, token: valid });
    for (const id of ['expiring', 'revoked', 'valid']) await until(id, (m) => m.type === 'subscribed');
    // The user of `revoked` changes (version 1): tokens of version 0 are revoked.
    const { Update } = revocationWrite(c1.tenantId, { userId }, 1);
    await dynamo().send(new UpdateCommand({ ...Update!, TableName: tableName() } as never));
    await new Promise((r) => setTimeout(r, 2_500));
    // The fixture's own writes may still reach the channels while the tokens are valid (the
    // stream lags under load): only what comes after the expiry counts.
    const before = { expiring: received('expiring').length, revoked: received('revoked').length };

    // A change in the branch: a ticket issued.
    const admin1 = await mintToken(env.signingKey, { tenantId: c1.tenantId, role: 'admin' });
    await ticketCalls(() => admin1).inQueue(c1, 'G');
    await until('valid', (m) => m.type === 'board');
    for (const [id, title] of [
      ['expiring', 'The access token expired'],
      ['revoked', 'The access token was revoked'],
    ]) {
      expect(await until(id!, (m) => m.type === 'ended'), id).toMatchObject({
        channel: `branch/${c1.branchId}`,
        status: 401,
        title,
      });
      expect(
        received(id!)
          .slice(before[id as keyof typeof before])
          .filter((m) => m.type === 'board'),
        id,
      ).toEqual([]);
    }
    expect(
      (await registry.listeners(branchChannel(c1.tenantId, c1.branchId))).map((s) => s.connectionId),
    ).toEqual(['valid']);
  });
});
