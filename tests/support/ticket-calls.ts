import { expect } from 'vitest';
import { builtInRole } from '#core/domain/permissions';
import type { TicketContext } from '#core/usecases/tickets/context';
import { ticketContext } from '#functions/commons/context';
import { type ApiResponse, call } from '#tests/support/api';
import type { BranchFixture } from '#tests/support/branch-fixture';

/** The path under which a branch fixture's routes live. */
export const branchPath = (f: BranchFixture) => `/v1/branches/${f.branchId}`;

/** Expects a status, naming the request (`what`) and showing the answer when it differs. */
export function expectStatus(res: ApiResponse, status: number, what = '') {
  expect(res.status, `${what} → ${res.status} ${res.text}`).toBe(status);
}

/**
 * The ticket routes of branch fixtures through the real handlers, as the user whose token
 * `token()` returns at the time of the call (tests mint their tokens in `beforeAll`).
 */
export function ticketCalls(token: () => string) {
  async function issue(
    f: BranchFixture,
    body: Record<string, unknown>,
    as = token(),
    headers?: Record<string, string>,
  ) {
    const res = await call('POST', `${branchPath(f)}/tickets`, { token: as, body, headers });
    expect(res.status, res.text).toBe(201);
    return res.body as { ticket: any; position: number; estimatedWaitSeconds: number | null };
  }
  return {
    /** Enqueue with `body`, expecting 201: `{ ticket, position, estimatedWaitSeconds }`. */
    issue,
    /** Enqueue into the fixture queue with this prefix. */
    inQueue: (f: BranchFixture, prefix: string, extra: Record<string, unknown> = {}) =>
      issue(f, { queueId: f.queues[prefix]!.id, ...extra }),
    /** call-next at the fixture counter with this name. */
    next: (f: BranchFixture, counter: string, as = token()) =>
      call('POST', `${branchPath(f)}/counters/${f.counters[counter]}/call-next`, { token: as }),
    /** A ticket action (`start`, `transfer`, …). */
    act: (f: BranchFixture, ticketId: string, action: string, body?: unknown, as = token()) =>
      call('POST', `${branchPath(f)}/tickets/${ticketId}/${action}`, { token: as, body }),
    /** `GET` of a ticket: `{ ticket, position, estimatedWaitSeconds }`. */
    getTicket: async (f: BranchFixture, id: string) =>
      (await call('GET', `${branchPath(f)}/tickets/${id}`, { token: token() })).body,
  };
}

/** The ticket use cases' context for an agent of `tenantId`, at a clock the test gives. */
export const agentContextAt =
  (tenantId: string, userId: string) =>
  (now: Date): TicketContext =>
    ticketContext({
      actor: {
        tenantId,
        userId,
        roleId: 'agent',
        permissions: builtInRole('agent')!.permissions,
        branches: ['*'],
      },
      now,
    });
