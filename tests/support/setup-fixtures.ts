import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { expect } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { counterKey } from '#core/adapters/dynamo/items/counter';
import { queueLiveKey, waitingAttribute } from '#core/adapters/dynamo/items/queue';
import { call } from '#tests/support/api';
import type { TestEnv } from '#tests/support/env';
import { mintToken, type TokenClaims } from '#tests/support/tokens';

/** A tenant of its own and an admin token for it (setup routes need no tenant record). */
export async function newTenant(env: TestEnv, claims: Partial<TokenClaims> = {}) {
  const tenantId = ulid();
  const token = await mintToken(env.signingKey, { tenantId, role: 'admin', ...claims });
  return { tenantId, token };
}

/** POSTs and expects 201: the created resource. */
export async function created(token: string, path: string, body: unknown) {
  const res = await call('POST', path, { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Helpers that create setup resources through the API with sensible defaults. */
export function setupApi(token: string) {
  return {
    priority: (body: Record<string, unknown> = {}) =>
      created(token, '/v1/priorities', { name: 'General', rank: 3, ...body }),
    branch: (body: Record<string, unknown> = {}) =>
      created(token, '/v1/branches', { name: 'Main', timezone: 'Europe/Madrid', ...body }),
    queue: (branchId: string, body: Record<string, unknown>) =>
      created(token, `/v1/branches/${branchId}/queues`, { name: `Queue ${body.prefix}`, ...body }),
    counter: (branchId: string, body: Record<string, unknown>) =>
      created(token, `/v1/branches/${branchId}/counters`, { name: 'Desk', ...body }),
  };
}

/** A tenant with one priority and one branch: the ground queues and counters stand on. */
export async function tenantWithBranch(env: TestEnv, priority: Record<string, unknown> = {}) {
  const tenant = await newTenant(env);
  const api = setupApi(tenant.token);
  return { ...tenant, api, priority: await api.priority(priority), branch: await api.branch() };
}

/** Every page of a list, following nextCursor. */
export async function allPages(token: string, path: string, limit: number) {
  const items: any[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await call('GET', path, {
      token,
      query: { limit: String(limit), ...(cursor && { cursor }) },
    });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  return { items, pages };
}

/** Simulates tickets waiting in a queue the way enqueue counts them: an ADD on a live shard. */
export async function addWaiting(
  tenantId: string,
  branchId: string,
  queueId: string,
  rank: number,
  n: number,
) {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: queueLiveKey(tenantId, branchId, queueId, 3),
      UpdateExpression: 'ADD #w :n',
      ExpressionAttributeNames: { '#w': waitingAttribute(rank) },
      ExpressionAttributeValues: { ':n': n },
    }),
  );
}

/** Simulates a counter with a called ticket, as call-next leaves it. */
export async function giveCurrentTicket(tenantId: string, branchId: string, counterId: string) {
  const ticketId = ulid();
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: counterKey(tenantId, branchId, counterId),
      UpdateExpression: 'SET currentTicketId = :t, #current = :c',
      ExpressionAttributeNames: { '#current': 'current' },
      ExpressionAttributeValues: {
        ':t': ticketId,
        ':c': { ticketId, code: 'G-001', status: 'called', calledAt: new Date().toISOString() },
      },
    }),
  );
  return ticketId;
}

/** An item as stored, bookkeeping included (undefined when absent). */
export async function storedItem(key: { pk: string; sk: string }) {
  return (await dynamo().send(new GetCommand({ TableName: tableName(), Key: key }))).Item;
}
