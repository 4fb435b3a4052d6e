import fc from 'fast-check';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '#core/domain/errors';
import { newPublicToken, parsePublicToken, samePublicToken } from '#core/domain/public-token';
import { assertTransition, canApply, ticketCode, waitingTicket } from '#core/domain/ticket';
import { TICKET_ACTION_RULES, TICKET_ACTIONS, TICKET_STATUSES } from '#tests/support/rules';

describe('ticket state machine (the table of ticket actions)', () => {
  for (const action of TICKET_ACTIONS) {
    for (const status of TICKET_STATUSES) {
      const allowed = TICKET_ACTION_RULES[action].from.includes(status);
      it(`${action} from ${status} is ${allowed ? 'allowed' : 'a 409'}`, () => {
        expect(canApply(action, status)).toBe(allowed);
        if (allowed) expect(() => assertTransition(action, status)).not.toThrow();
        else {
          let error: unknown;
          try {
            assertTransition(action, status);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(ConflictError);
          expect((error as ConflictError).status).toBe(409);
        }
      });
    }
  }

  it('no action leaves a terminal status', () => {
    for (const status of ['done', 'no_show', 'cancelled', 'expired'] as const) {
      expect(TICKET_ACTIONS.filter((a) => canApply(a, status))).toEqual([]);
    }
  });
});

describe('ticketCode', () => {
  it('pads the number to 3 digits and never truncates', () => {
    expect(ticketCode('A', 7)).toBe('A-007');
    expect(ticketCode('A', 1)).toBe('A-001');
    expect(ticketCode('A', 42)).toBe('A-042');
    expect(ticketCode('A', 999)).toBe('A-999');
    expect(ticketCode('A', 1234)).toBe('A-1234');
    expect(ticketCode('ABC', 100000)).toBe('ABC-100000');
  });
});

describe('waitingTicket', () => {
  const issued = {
    id: 'T1',
    branchId: 'B',
    queueId: 'QA',
    priorityId: 'P1',
    prefix: 'A',
    number: 12,
    entry: 40,
    businessDay: '2026-03-29',
    createdAt: '2026-03-29T08:00:00.000Z',
    publicToken: 'tok',
    rank: 2,
    targetWaitMinutes: 15,
    individualPriority: false,
    closeEpoch: 3,
    hour: '10',
  };

  it('waits in its queue since it was created, with its code, attributed to queue and priority of issue', () => {
    const ticket = waitingTicket(issued);
    expect(ticket).toMatchObject({
      code: 'A-012',
      status: 'waiting',
      queuedAt: issued.createdAt,
      updatedAt: issued.createdAt,
      issuedQueueId: 'QA',
      issuedPriorityId: 'P1',
      customer: null,
      note: null,
      transfers: [],
      recalls: 0,
      firstCall: null,
      place: { entry: 40, inserted: false },
      rev: 0,
    });
    expect(ticket).not.toHaveProperty('prefix');
    expect(ticket).not.toHaveProperty('entry');
  });

  it('keeps the customer and the note it was issued with', () => {
    const customer = { name: 'Ana' };
    expect(waitingTicket({ ...issued, customer, note: 'wheelchair' })).toMatchObject({
      customer,
      note: 'wheelchair',
    });
  });
});

describe('public tokens', () => {
  it('round-trips tenant and ticket ids, 64 url-safe characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 0, max: 2 ** 47 }), (t1, t2) => {
        const tenantId = ulid(t1);
        const ticketId = ulid(t2);
        const token = newPublicToken(tenantId, ticketId);
        expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
        expect(parsePublicToken(token)).toEqual({ tenantId, ticketId });
      }),
      { numRuns: 300 },
    );
  });

  it('differs each time for the same ticket (128 random bits)', () => {
    const tenantId = ulid();
    const ticketId = ulid();
    const tokens = new Set(Array.from({ length: 200 }, () => newPublicToken(tenantId, ticketId)));
    expect(tokens.size).toBe(200);
    // The first 32 bytes (43 characters) are the same ids, the rest is random.
    const [a, b] = [...tokens];
    expect(a!.slice(0, 42)).toBe(b!.slice(0, 42));
    expect(samePublicToken(a!, b!)).toBe(false);
    expect(samePublicToken(a!, a!)).toBe(true);
  });

  it('parses malformed tokens to undefined', () => {
    const good = newPublicToken(ulid(), ulid());
    for (const bad of [
      '',
      good.slice(1),
      `${good}A`,
      `${good.slice(0, 63)}=`,
      `${good.slice(0, 63)}+`,
      `${good.slice(0, 63)}/`,
      `${good.slice(0, 63)}.`,
      ' '.repeat(64),
      'é'.repeat(64),
      good.slice(0, 32),
    ]) {
      expect(parsePublicToken(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ minLength: 64, maxLength: 64 })), (s) => {
        const parsed = parsePublicToken(s);
        if (parsed) expect(s).toHaveLength(64);
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(samePublicToken(a, b)).toBe(a === b);
      }),
    );
  });
});
