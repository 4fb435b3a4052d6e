import { ValidationError } from '#core/domain/errors';
import { newId } from '#core/domain/ids';
import type { BranchSetup, Counter } from '#core/domain/setup';
import { assertNoneBusy } from '#core/domain/setup-rules';
import type { PageRequest } from '#core/ports/page';
import { setupInScope } from '#core/usecases/scope';
import { type CounterContext, entityInScope, listInBranch, retryStale } from './common';

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

interface CounterRef {
  branchId: string;
  counterId: string;
}

const counterOf = (ctx: CounterContext, { branchId, counterId }: CounterRef) =>
  entityInScope(ctx, branchId, (s) => s.counters, counterId, 'Counter');

export function createCounter(
  ctx: CounterContext,
  { branchId, ...input }: { branchId: string } & CounterInput,
): Promise<CounterView> {
  return retryStale(async () => {
    const setup = await setupInScope(ctx, branchId);
    assertOwnQueues(setup, input.queueIds);
    const at = ctx.now.toISOString();
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
    await ctx.counters.create(ctx.actor.tenantId, counter);
    return counterView(counter);
  });
}

export const listCounters = (ctx: CounterContext, input: { branchId: string } & PageRequest) =>
  listInBranch(ctx, input, 'counters', (_, counter) => counterView(counter));

export async function getCounter(ctx: CounterContext, ref: CounterRef) {
  return counterView((await counterOf(ctx, ref)).entity);
}

export function updateCounter(
  ctx: CounterContext,
  { branchId, counterId, ...changes }: CounterRef & Partial<CounterInput>,
): Promise<CounterView> {
  return retryStale(async () => {
    const { setup, entity: before } = await counterOf(ctx, { branchId, counterId });
    if (changes.queueIds) assertOwnQueues(setup, changes.queueIds);
    const after = { ...before, ...changes, updatedAt: ctx.now.toISOString() };
    await ctx.counters.update(ctx.actor.tenantId, before, after);
    return counterView(after);
  });
}

export function deleteCounter(ctx: CounterContext, ref: CounterRef): Promise<void> {
  return retryStale(async () => {
    const { entity: counter } = await counterOf(ctx, ref);
    assertNoneBusy([counter]);
    await ctx.counters.delete(ctx.actor.tenantId, counter, ctx.now);
  });
}
