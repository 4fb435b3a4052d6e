import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type BranchChange, queuesMovedBy, type TicketChange } from '#core/domain/live';
import { recipientsOf } from '#core/domain/notify';
import type { TicketRecord } from '#core/domain/ticket';
import type { NotifyChange } from '#core/ports/notify';
import { branchOfPartition, SETUP_PREFIX } from './items/branch';
import { TICKET_SORT_KEY, ticketFromItem } from './items/ticket';

/**
 * One record of the table's change stream (NEW_AND_OLD_IMAGES), as both DynamoDB Streams'
 * GetRecords and a Lambda stream event deliver it.
 */
export interface StreamRecord {
  eventName?: string;
  dynamodb?: {
    Keys?: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
  };
}

const image = (i: Record<string, AttributeValue> | undefined) =>
  i ? unmarshall(i as Parameters<typeof unmarshall>[0]) : undefined;

function ticketChange(before: TicketRecord | undefined, after: TicketRecord | undefined): TicketChange {
  const t = (after ?? before)!;
  return {
    move: {
      id: t.id,
      code: t.code,
      status: after ? after.status : 'deleted',
      queueId: t.queueId,
      counterId: after ? after.counterId : null,
    },
    publicToken: t.publicToken ?? null,
  };
}

/**
 * The branches a batch of stream records changed (pure): a write to a branch's setup
 * partition (its queues, counters, live counts) changes the branch; a ticket's write changes
 * its branch and its own channel. Everything else (sessions, idempotency, rate limits,
 * reports) changes no screen. Several records of one branch — the items of one transaction —
 * become one change.
 */
export function branchChangesOf(records: readonly StreamRecord[]): BranchChange[] {
  const changes = new Map<string, BranchChange>();
  const of = (tenantId: string, branchId: string) => {
    const key = `${tenantId}#${branchId}`;
    let change = changes.get(key);
    if (!change) {
      change = { tenantId, branchId, tickets: [], movedQueues: [] };
      changes.set(key, change);
    }
    return change;
  };
  for (const record of records) {
    const keys = image(record.dynamodb?.Keys);
    if (typeof keys?.pk !== 'string' || typeof keys.sk !== 'string') continue;
    const branch = branchOfPartition(keys.pk);
    if (branch && keys.sk.startsWith(SETUP_PREFIX)) {
      of(branch.tenantId, branch.branchId);
      continue;
    }
    if (keys.sk !== TICKET_SORT_KEY) continue;
    const [oldItem, newItem] = [image(record.dynamodb?.OldImage), image(record.dynamodb?.NewImage)];
    const item = newItem ?? oldItem;
    if (typeof item?.tenantId !== 'string' || typeof item.branchId !== 'string') continue;
    const [before, after] = [oldItem && ticketFromItem(oldItem), newItem && ticketFromItem(newItem)];
    const change = of(item.tenantId, item.branchId);
    const ticket = ticketChange(before, after);
    change.tickets = [...change.tickets.filter((t) => t.move.id !== ticket.move.id), ticket];
    for (const queueId of queuesMovedBy(before, after))
      if (!change.movedQueues.includes(queueId)) change.movedQueues.push(queueId);
  }
  return [...changes.values()];
}

/**
 * What a batch of stream records means for customers' messages (pure): per branch, the tickets
 * written whose new image holds recipients while waiting or called, and the queues whose waiting
 * tickets moved (core/usecases/notify/notify.ts).
 */
export function notifyChangesOf(records: readonly StreamRecord[]): NotifyChange[] {
  const byBranch = new Map<string, NotifyChange>();
  for (const change of branchChangesOf(records))
    byBranch.set(`${change.tenantId}#${change.branchId}`, {
      tenantId: change.tenantId,
      branchId: change.branchId,
      ticketIds: [],
      calls: [],
      movedQueues: change.movedQueues,
    });
  for (const record of records) {
    const item = image(record.dynamodb?.NewImage);
    if (item?.sk !== TICKET_SORT_KEY || typeof item.tenantId !== 'string') continue;
    const ticket = ticketFromItem(item);
    if (ticket.status !== 'waiting' && ticket.status !== 'called') continue;
    if (recipientsOf(ticket).length === 0) continue;
    const change = byBranch.get(`${item.tenantId}#${ticket.branchId}`);
    if (!change) continue;
    if (!change.ticketIds.includes(ticket.id)) change.ticketIds.push(ticket.id);
    if (ticket.status === 'called') {
      // The last call of the batch is the one the message names.
      change.calls = [
        ...change.calls.filter((c) => c.ticketId !== ticket.id),
        { ticketId: ticket.id, counterId: ticket.counterId },
      ];
    }
  }
  return [...byBranch.values()].filter((c) => c.ticketIds.length > 0 || c.movedQueues.length > 0);
}
