import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { numberingToItem, queueLiveKey, waitingAttribute } from '#core/adapters/dynamo/items/queue';
import { ticketToItem } from '#core/adapters/dynamo/items/ticket';
import { businessDayOf, localHourOf } from '#core/domain/business-day';
import { ticketId } from '#core/domain/ids';
import { claimNext, tidy } from '#core/domain/numbering';
import { newPublicToken } from '#core/domain/public-token';
import { emptyLive, type Numbering } from '#core/domain/setup';
import { type TicketRecord, waitingTicket } from '#core/domain/ticket';
import { batchPut } from './aggregates';
import type { BranchFixture } from './branch-fixture';
import type { WaitingTicket } from './brute-force-positions';

/**
 * `n` waiting tickets written straight into the table, in the shape enqueue writes them
 * (ticketToItem of core/adapters/dynamo/items/ticket.ts), numbered by the same pure steps as
 * enqueue (tidy, claimNext: number, line entry, queuedAt), with the queue's numbering and live waiting
 * counts written to match — so that the use cases see a queue exactly as n enqueues into an
 * empty one would have left it, minus the report aggregates. Spread over `spreadMs` before
 * `now` (default the last hour), oldest first. `individual` gives every k-th ticket the rank of
 * another priority. For tests and benchmarks that need thousands of tickets fast.
 */
export async function seedWaiting(
  f: BranchFixture,
  prefix: string,
  n: number,
  options: {
    now?: Date;
    spreadMs?: number;
    timezone?: string;
    individual?: { priority: string; every: number };
  } = {},
): Promise<TicketRecord[]> {
  const queue = f.queues[prefix]!;
  const priority = Object.values(f.priorities).find((p) => p.id === queue.priorityId)!;
  const individual = options.individual ? f.priorities[options.individual.priority]! : undefined;
  const now = options.now ?? new Date();
  const timezone = options.timezone ?? 'Europe/Madrid';
  const seq = { day: businessDayOf(now, timezone, 3), epoch: 0 };
  const spread = options.spreadMs ?? 3_600_000;
  const step = spread / Math.max(n, 1);
  const tickets: TicketRecord[] = [];
  const live = emptyLive();
  const counts = live.waitingByRank;
  let numbering: Numbering | null = null;
  for (let i = 0; i < n; i++) {
    const at = new Date(Math.floor(now.getTime() - spread + i * step));
    const own = individual && i % options.individual!.every === 0 ? individual : undefined;
    const rank = own?.rank ?? priority.rank;
    const claim = claimNext(numbering && tidy(numbering, live, at).numbering, seq, rank, at);
    numbering = claim.numbering;
    counts.set(rank, (counts.get(rank) ?? 0) + 1);
    const id = ticketId(Date.parse(claim.queuedAt), claim.entry);
    tickets.push(
      waitingTicket({
        id,
        branchId: f.branchId,
        queueId: queue.id,
        priorityId: own?.id ?? queue.priorityId,
        prefix,
        number: claim.number,
        entry: claim.entry,
        businessDay: seq.day,
        createdAt: claim.queuedAt,
        publicToken: newPublicToken(f.tenantId, id),
        rank,
        targetWaitMinutes: own?.targetWaitMinutes ?? priority.targetWaitMinutes,
        individualPriority: !!own,
        closeEpoch: 0,
        hour: localHourOf(at, timezone),
      }),
    );
  }
  await batchPut(tickets.map((t) => ticketToItem(f.tenantId, t)));
  if (!numbering) return tickets;
  const add = Object.fromEntries([...counts].map(([rank, c]) => [waitingAttribute(rank), c]));
  const names = Object.fromEntries(Object.keys(add).map((a, i) => [`#w${i}`, a]));
  const values = Object.fromEntries(Object.values(add).map((c, i) => [`:w${i}`, c]));
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: queueLiveKey(f.tenantId, f.branchId, queue.id, 0),
      UpdateExpression: `ADD ${Object.keys(names)
        .map((k, i) => `${k} :w${i}`)
        .join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
  await dynamo().send(
    new PutCommand({
      TableName: tableName(),
      Item: numberingToItem(f.tenantId, f.branchId, queue.id, numbering),
    }),
  );
  return tickets;
}

/**
 * `n` tickets waiting in queue G, issued over the last two hours, every 10th with the branch's
 * Elderly priority: as the brute-force positions see them, with their public tokens.
 */
export async function seedElderlyMix(f: BranchFixture, n: number) {
  const tickets = await seedWaiting(f, 'G', n, {
    now: new Date(Date.now() - 60_000),
    spreadMs: 2 * 3_600_000,
    individual: { priority: 'Elderly', every: 10 },
  });
  return {
    queue: tickets.map(
      (t): WaitingTicket => ({ id: t.id, rank: t.rank, queuedAt: Date.parse(t.queuedAt), inserted: false }),
    ),
    tokens: new Map(tickets.map((t) => [t.id, t.publicToken])),
  };
}
