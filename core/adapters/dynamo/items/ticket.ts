import { waitingSortKey } from '#core/domain/call-order';
import { hasContactData } from '#core/domain/contact';
import type { TicketRecord } from '#core/domain/ticket';
import { TERMINAL } from '#core/domain/ticket';
import { branchPartition } from './branch';

/** Each ticket is its own partition: ticket writes never crowd one key. */
export const TICKET_SORT_KEY = 'TICKET';
export const ticketKey = (tenantId: string, ticketId: string) => ({
  pk: `T#${tenantId}#K#${ticketId}`,
  sk: TICKET_SORT_KEY,
});

/** `waiting` index: one partition per queue × rank, sorted by queuedAt then id. */
export const waitingPartition = (tenantId: string, queueId: string, rank: number) =>
  `T#${tenantId}#Q#${queueId}#R#${String(rank).padStart(2, '0')}`;

/** `byDay` index: the tickets of a branch's business day. */
export const dayPartition = (tenantId: string, branchId: string, day: string) =>
  `${branchPartition(tenantId, branchId)}#D#${day}`;

/** Where a `byDay` query continues after `item` (the LastEvaluatedKey it would return there). */
export const dayIndexKeyOf = (item: Record<string, unknown>) => ({
  pk: item.pk,
  sk: item.sk,
  dayPk: item.dayPk,
  daySk: item.daySk,
});

/** `open` index: unfinished tickets of a branch, by business day (what a day close touches). */
export const openPartition = (tenantId: string, branchId: string) =>
  `${branchPartition(tenantId, branchId)}#OPEN`;
const openSortKey = (t: TicketRecord) => `${t.businessDay}#${t.id}`;
export const openTicketIdOf = (openSk: string) => openSk.split('#')[1]!;

/**
 * `due` index, contact entries: an ended ticket holding contact data, by the instant that data is
 * due for erasure (`contactDueAt`), `<ISO instant>#<tenant>#<ticket>`. Spread over
 * CONTACT_SHARDS partitions (by ticket id) so that tickets ending in bursts across every tenant
 * never crowd one index partition; the erasing job reads each up to now.
 */
export const CONTACT_SHARDS = 8;
export const contactDuePartition = (shard: number) => `CONTACT#${shard}`;
const contactShardOf = (ticketId: string) =>
  [...ticketId].reduce((sum, c) => sum + c.charCodeAt(0), 0) % CONTACT_SHARDS;
const contactDueSortKey = (dueAt: string, tenantId: string, ticketId: string) =>
  `${dueAt}#${tenantId}#${ticketId}`;
/** The tenant and ticket a contact entry's sort key names. */
export function contactDueEntryOf(dueSk: string): { tenantId: string; ticketId: string } {
  const [, tenantId, ticketId] = dueSk.split('#') as [string, string, string];
  return { tenantId, ticketId };
}

const DAY_SECONDS = 86_400;
export const retentionDays = () => Number(process.env.TICKET_RETENTION_DAYS ?? 400);

const STORAGE = [
  'pk',
  'sk',
  'type',
  'tenantId',
  'waitPk',
  'waitSk',
  'dayPk',
  'daySk',
  'openPk',
  'openSk',
  'duePk',
  'dueSk',
  'ttl',
];

/** The stored item: the record plus the index keys its status implies, and its retention TTL. */
export function ticketToItem(tenantId: string, t: TicketRecord): Record<string, unknown> {
  return {
    ...ticketKey(tenantId, t.id),
    type: 'ticket',
    tenantId,
    ...t,
    ...(t.status === 'waiting' && {
      waitPk: waitingPartition(tenantId, t.queueId, t.rank),
      waitSk: waitingSortKey(t.queuedAt, t.id),
    }),
    dayPk: dayPartition(tenantId, t.branchId, t.businessDay),
    daySk: t.id,
    ...(!TERMINAL.has(t.status) && {
      openPk: openPartition(tenantId, t.branchId),
      openSk: openSortKey(t),
    }),
    ...(t.contactDueAt &&
      hasContactData(t) && {
        duePk: contactDuePartition(contactShardOf(t.id)),
        dueSk: contactDueSortKey(t.contactDueAt, tenantId, t.id),
      }),
    ttl: Math.floor(Date.parse(t.createdAt) / 1000) + retentionDays() * DAY_SECONDS,
  };
}

export function ticketFromItem(item: Record<string, unknown>): TicketRecord {
  // Tickets stored before tickets kept their source and feedback read as issued by staff, unrated.
  const record: Record<string, unknown> = { source: 'staff', feedback: null, ...item };
  for (const key of STORAGE) delete record[key];
  return record as unknown as TicketRecord;
}
