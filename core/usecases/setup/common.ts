import { type Actor, assertBranchScope } from '#core/domain/actor';
import { NotFoundError } from '#core/domain/errors';
import type { BranchSetup } from '#core/domain/setup';
import { type Page, type PageRequest, type SetupReader, StaleReadError } from '#core/ports/setup';

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

/**
 * A collection of a branch: 404 (branch, also another tenant's) before 403 (branch scope):
 * docs/rules.md#order-of-checks.
 */
export async function setupInScope(
  reader: Pick<SetupReader, 'loadSetup'>,
  actor: Actor,
  branchId: string,
): Promise<BranchSetup> {
  const setup = await reader.loadSetup(actor.tenantId, branchId);
  assertBranchScope(actor, branchId);
  return setup;
}

/** One entity of a branch setup (soft-deleted ones are not in it): every 404 before the 403 of scope. */
export async function entityInScope<T extends { id: string }>(
  reader: SetupReader,
  actor: Actor,
  branchId: string,
  of: (setup: BranchSetup) => readonly T[],
  id: string,
  what: string,
): Promise<{ setup: BranchSetup; entity: T }> {
  const setup = await reader.loadSetup(actor.tenantId, branchId);
  const entity = of(setup).find((item) => item.id === id);
  if (!entity) throw new NotFoundError(what);
  assertBranchScope(actor, branchId);
  return { setup, entity };
}

/** A page of a branch's queues or counters (read whole with its setup), as the API shows them. */
export async function listInBranch<K extends 'queues' | 'counters', V>(
  reader: SetupReader,
  actor: Actor,
  branchId: string,
  kind: K,
  page: PageRequest,
  view: (setup: BranchSetup, item: BranchSetup[K][number]) => V,
): Promise<Page<V>> {
  const setup = await setupInScope(reader, actor, branchId);
  const entities: ReadonlyArray<BranchSetup[K][number]> = setup[kind];
  const { items, nextCursor } = reader.pageOf(entities, `${kind}#${branchId}`, page);
  return { items: items.map((item) => view(setup, item)), nextCursor };
}
