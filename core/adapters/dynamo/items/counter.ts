import type { Counter } from '#core/domain/setup';
import { branchPartition } from './branch';

/** Under the branch's SETUP_PREFIX. */
export const COUNTER_PREFIX = 'A#COUNTER#';

export const counterKey = (tenantId: string, branchId: string, counterId: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: `${COUNTER_PREFIX}${counterId}`,
});

export interface CounterItem extends Omit<Counter, 'current'> {
  pk: string;
  sk: string;
  type: 'counter';
  current?: Counter['current'];
  /** Set while a ticket is called or serving: the claim condition checks its absence. */
  currentTicketId?: string;
  deletedAt?: string;
}

export function counterFromItem(item: Record<string, unknown>): Counter {
  const i = item as unknown as CounterItem;
  return {
    id: i.id,
    branchId: i.branchId,
    name: i.name,
    queueIds: i.queueIds ?? [],
    allowStealing: i.allowStealing ?? true,
    current: i.current ?? null,
    recent: i.recent ?? [],
    waitMax: i.waitMax ?? {},
    revision: i.revision ?? 0,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}
