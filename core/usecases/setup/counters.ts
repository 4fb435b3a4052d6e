import type { Actor } from '#core/domain/actor';
import { ValidationError } from '#core/domain/errors';
import { newId } from '#core/domain/ids';
import type { BranchSetup, Counter } from '#core/domain/setup';
import { assertNoneBusy } from '#core/domain/setup-rules';
import type { CounterRepository, PageRequest } from '#core/ports/setup';
import { entityInScope, listInBranch, retryStale, setupInScope } from './common';

export interface CounterInput {
  name: string;
  queueIds: string[];
  allowStealing?: boolean;
}

/** A counter as the API shows it: its call bookkeeping hidden, only the current ticket's id shown. */
export type CounterView = Omit<Counter, 'current' | 'recent' | 'waitMax' | 'revision'> & {
  currentTicketId: string | null;
};

export const counterView = (c: Counter): CounterView => ({
  id: c.id,
  branchId: c.branchId,
  name: c.name,
  queueIds: c.queueIds,
  allowStealing: c.allowStealing,
  currentTicketId: c.current?.ticketId ?? null,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

/** A counter's own queues are live queues of its branch: another branch's or an unknown id → 400. */
function assertOwnQueues(setup: BranchSetup, queueIds: readonly string[]): void {
  const errors = queueIds.flatMap((id, i) =>
    setup.queues.some((q) => q.id === id)
      ? []
      : [{ path: `body.queueIds.${i}`, message: 'Not a queue of this branch' }],
  );
  if (errors.length > 0) throw new ValidationError('queueIds must be queues of this branch', errors);
}

const counterOf = (repo: CounterRepository, actor: Actor, branchId: string, counterId: string) =>
  entityInScope(repo, actor, branchId, (s) => s.counters, counterId, 'Counter');

export function createCounter(
  repo: CounterRepository,
  actor: Actor,
  branchId: string,
  input: CounterInput,
  now: Date,
): Promise<CounterView> {
  return retryStale(async () => {
    const setup = await setupInScope(repo, actor, branchId);
    assertOwnQueues(setup, input.queueIds);
    const at = now.toISOString();
    const counter: Counter = {
      id: newId(),
      branchId,
      name: input.name,
      queueIds: input.queueIds,
      allowStealing: input.allowStealing ?? true,
      current: null,
      recent: [],
      waitMax: {},
      revision: 0,
      createdAt: at,
      updatedAt: at,
    };
    await repo.create(actor.tenantId, counter);
    return counterView(counter);
  });
}

export const listCounters = (repo: CounterRepository, actor: Actor, branchId: string, page: PageRequest) =>
  listInBranch(repo, actor, branchId, 'counters', page, (_, counter) => counterView(counter));

export async function getCounter(repo: CounterRepository, actor: Actor, branchId: string, counterId: string) {
  return counterView((await counterOf(repo, actor, branchId, counterId)).entity);
}

export function updateCounter(
  repo: CounterRepository,
  actor: Actor,
  branchId: string,
  counterId: string,
  changes: Partial<CounterInput>,
  now: Date,
): Promise<CounterView> {
  return retryStale(async () => {
    const { setup, entity: before } = await counterOf(repo, actor, branchId, counterId);
    if (changes.queueIds) assertOwnQueues(setup, changes.queueIds);
    const after = { ...before, ...changes, updatedAt: now.toISOString() };
    await repo.update(actor.tenantId, before, after);
    return counterView(after);
  });
}

export function deleteCounter(
  repo: CounterRepository,
  actor: Actor,
  branchId: string,
  counterId: string,
  now: Date,
): Promise<void> {
  return retryStale(async () => {
    const { entity: counter } = await counterOf(repo, actor, branchId, counterId);
    assertNoneBusy([counter]);
    await repo.delete(actor.tenantId, counter, now);
  });
}
