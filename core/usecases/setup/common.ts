import type { BranchSetup } from '#core/domain/setup';
import type { Page, PageRequest } from '#core/ports/page';
import {
  type BranchStore,
  type CounterStore,
  type PriorityStore,
  type QueueStore,
  type SetupStore,
  StaleReadError,
} from '#core/ports/setup';
import { type Caller, inBranchScope, setupInScope } from '#core/usecases/scope';

/** The ports of organisation setup. */
export interface SetupPorts {
  setups: SetupStore;
  branches: BranchStore;
  queues: QueueStore;
  counters: CounterStore;
  priorities: PriorityStore;
}

/** What setup use cases run on: the caller, the clock, and the ports of what they set up. */
export type BranchContext = Caller & Pick<SetupPorts, 'setups' | 'branches'>;
export type QueueContext = Caller & Pick<SetupPorts, 'setups' | 'queues'>;
export type CounterContext = Caller & Pick<SetupPorts, 'setups' | 'counters'>;
export type PriorityContext = Caller & Pick<SetupPorts, 'priorities'>;

/** What reading a branch's setup for the caller needs. */
type SetupReadContext = Caller & Pick<SetupPorts, 'setups'>;

/**
 * Runs a read-check-write operation again when its conditional write found that what it read
 * had changed: the fresh read then answers with the right outcome (404, 409, or success).
 */
export async function retryStale<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof StaleReadError) || attempt >= attempts) throw error;
    }
  }
}

/** One entity of a branch setup (soft-deleted ones are not in it), read for the caller. */
export async function entityInScope<T extends { id: string }>(
  ctx: SetupReadContext,
  branchId: string,
  of: (setup: BranchSetup) => readonly T[],
  id: string,
  what: string,
): Promise<{ setup: BranchSetup; entity: T }> {
  const read = ctx.setups.load(ctx.actor.tenantId, branchId).then((setup) => {
    const entity = of(setup).find((item) => item.id === id);
    return entity && { setup, entity };
  });
  return inBranchScope(ctx.actor, branchId, read, what);
}

/** A page of a branch's queues or counters (read whole with its setup), as the API shows them. */
export async function listInBranch<K extends 'queues' | 'counters', V>(
  ctx: SetupReadContext,
  input: { branchId: string } & PageRequest,
  kind: K,
  view: (setup: BranchSetup, item: BranchSetup[K][number]) => V,
): Promise<Page<V>> {
  const { branchId, limit, cursor } = input;
  const setup = await setupInScope(ctx, branchId);
  const entities: ReadonlyArray<BranchSetup[K][number]> = setup[kind];
  const { items, nextCursor } = ctx.setups.pageOf(entities, `${kind}#${branchId}`, { limit, cursor });
  return { items: items.map((item) => view(setup, item)), nextCursor };
}
