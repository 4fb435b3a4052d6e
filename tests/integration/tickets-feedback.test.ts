import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { businessDayOf } from '#core/domain/business-day';
import { handler as eraseContacts } from '#functions/erase-contacts';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { FEEDBACK_RULES } from '#tests/support/rules';
import { mintToken } from '#tests/support/tokens';

/**
 * Feedback (docs/rules.md#feedback) through the real handlers on DynamoDB Local: once per done
 * ticket, within 24 hours of its end (a controlled clock), 409 otherwise, race-free; bad input
 * changes nothing; the public status tells whether it can be given; the report counts it.
 */

let env: TestEnv;
let f: BranchFixture;
let admin: string;
beforeAll(async () => {
  env = await createTestEnv();
  f = await createBranchFixture({
    timezone: 'UTC',
    resetHour: 0,
    queues: { G: { priority: 'General' } },
    counters: { Desk: { queues: ['G'] } },
  });
  admin = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
});
afterEach(() => {
  vi.useRealTimers();
});

const base = () => `/v1/branches/${f.branchId}`;
let ip = 0;
const sourceIp = () => `203.0.113.${(++ip % 250) + 1}`;
const status = (token: string) => call('GET', `/v1/public/tickets/${token}`, { sourceIp: sourceIp() });
const feedback = (token: string, body: unknown) =>
  call('POST', `/v1/public/tickets/${token}/feedback`, { body, sourceIp: sourceIp() });

/** A ticket issued, called and (unless `until` says otherwise) completed now. */
async function ticket(until: 'waiting' | 'called' | 'done' | 'no-show' = 'done') {
  const issued = await call('POST', `${base()}/tickets`, {
    token: admin,
    body: { queueId: f.queues.G!.id, customer: { name: 'Eva' } },
  });
  expect(issued.status).toBe(201);
  const t = issued.body.ticket;
  if (until === 'waiting') return t;
  const called = await call('POST', `${base()}/counters/${f.counters.Desk}/call-next`, { token: admin });
  expect(called.body.ticket.id).toBe(t.id);
  if (until === 'called') return t;
  const action = until === 'done' ? 'complete' : 'no-show';
  expect((await call('POST', `${base()}/tickets/${t.id}/${action}`, { token: admin })).status).toBe(200);
  return t;
}

const staffTicket = async (id: string) =>
  (await call('GET', `${base()}/tickets/${id}`, { token: admin })).body.ticket;

describe('feedback on a done ticket', () => {
  it('is taken once: 201 with the status, then 409; the status page and staff see it', async () => {
    const t = await ticket();
    expect((await status(t.publicToken)).body.feedback).toBe('open');
    const given = await feedback(t.publicToken, { rating: 4, comment: '  Muy amables  ' });
    expect(given.status, given.text).toBe(201);
    expect(given.body).toMatchObject({ code: t.code, status: 'done', feedback: 'given' });
    expect((await status(t.publicToken)).body.feedback).toBe('given');
    const again = await feedback(t.publicToken, { rating: 1 });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/feedback-given$/);
    const seen = await staffTicket(t.id);
    expect(seen.feedback).toEqual({ rating: 4, comment: 'Muy amables', givenAt: expect.any(String) });
  });

  it('is refused (409) for a ticket that is waiting, called or a no-show', async () => {
    for (const until of ['waiting', 'called', 'no-show'] as const) {
      const t = await ticket(until);
      expect((await status(t.publicToken)).body.feedback).toBe('closed');
      const res = await feedback(t.publicToken, { rating: 5 });
      expect(res.status, until).toBe(409);
      expect(res.body.type).toMatch(/feedback-closed$/);
      expect((await staffTicket(t.id)).feedback).toBeNull();
      // Leave the queue empty and the desk free for the next ticket.
      if (until === 'waiting' || until === 'called') {
        expect((await call('POST', `${base()}/tickets/${t.id}/cancel`, { token: admin })).status).toBe(200);
      }
    }
  });

  it(`is taken up to ${FEEDBACK_RULES.windowHours} hours after the end, not after`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date();
    vi.setSystemTime(start);
    const onTime = await ticket();
    const late = await ticket();
    const windowMs = FEEDBACK_RULES.windowHours * 3_600_000;
    // Read before the clock moves on (the staff token would have expired by then).
    const ended = Date.parse((await staffTicket(late.id)).endedAt);
    const onTimeEnded = Date.parse((await staffTicket(onTime.id)).endedAt);
    vi.setSystemTime(ended + windowMs + 1000);
    expect((await status(late.publicToken)).body.feedback).toBe('closed');
    const refused = await feedback(late.publicToken, { rating: 3 });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/feedback-closed$/);
    vi.setSystemTime(onTimeEnded + windowMs - 1000);
    expect((await status(onTime.publicToken)).body.feedback).toBe('open');
    expect((await feedback(onTime.publicToken, { rating: 3 })).status).toBe(201);
  });

  it('is taken exactly once when many arrive at once, and counted once in the report', async () => {
    const saved = f;
    // A branch of its own, so that the report holds this ticket alone.
    f = await createBranchFixture({
      tenantId: saved.tenantId,
      timezone: 'UTC',
      resetHour: 0,
      queues: { G: { priority: 'General' } },
      counters: { Desk: { queues: ['G'] } },
    });
    try {
      const t = await ticket();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => feedback(t.publicToken, { rating: (i % 5) + 1 })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(7).fill(409)]);
      const { rating } = (await staffTicket(t.id)).feedback;
      const day = businessDayOf(new Date(), 'UTC', 0);
      const report = await call('GET', `${base()}/report`, { token: admin, query: { from: day, to: day } });
      expect(report.body.totals).toMatchObject({ served: 1, feedbackCount: 1, avgRating: rating });
    } finally {
      f = saved;
    }
  });

  it('answers bad input with 400 and takes nothing', async () => {
    const t = await ticket();
    const bad: unknown[] = [
      {},
      { rating: 0 },
      { rating: 6 },
      { rating: 3.5 },
      { rating: '5' },
      { rating: null },
      { rating: 5, comment: 'x'.repeat(FEEDBACK_RULES.commentMax + 1) },
      { rating: 5, comment: 42 },
      { rating: 5, extra: true },
    ];
    for (const body of bad) {
      const res = await feedback(t.publicToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
    }
    expect((await status(t.publicToken)).body.feedback).toBe('open');
    expect((await staffTicket(t.id)).feedback).toBeNull();
    // The longest comment allowed is taken.
    const longest = await feedback(t.publicToken, {
      rating: 5,
      comment: 'y'.repeat(FEEDBACK_RULES.commentMax),
    });
    expect(longest.status).toBe(201);
  });

  it('answers 404 for tokens this server did not give out, and for another tenant’s token spliced in', async () => {
    const t = await ticket();
    const unknown = `${ulid()}${ulid()}`.slice(0, 64).padEnd(64, 'A');
    expect((await feedback(unknown, { rating: 5 })).status).toBe(404);
    const last = t.publicToken.at(-1)!;
    const tampered = t.publicToken.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    expect((await feedback(tampered, { rating: 5 })).status).toBe(404);
    expect((await staffTicket(t.id)).feedback).toBeNull();
  });

  it('keeps a comment as contact data: the customer can erase it, and the erasing job does', async () => {
    const t = await ticket();
    expect((await feedback(t.publicToken, { rating: 2, comment: 'Call me, Eva, 600 000 000' })).status).toBe(
      201,
    );
    const erased = await call('DELETE', `/v1/public/tickets/${t.publicToken}/contact`, {
      sourceIp: sourceIp(),
    });
    expect(erased.status).toBe(204);
    // The rating stays (reports keep aggregates); the comment is gone.
    expect((await staffTicket(t.id)).feedback).toEqual({
      rating: 2,
      comment: null,
      givenAt: expect.any(String),
    });

    // Left alone, the comment goes with the contact data: the hourly job erases it once the
    // branch's retention (24 h by default) has passed since the feedback.
    const quiet = await ticket();
    expect((await feedback(quiet.publicToken, { rating: 5, comment: 'Gracias' })).status).toBe(201);
    const run = await eraseContacts({ at: new Date(Date.now() + 25 * 3_600_000).toISOString() });
    expect(run).toMatchObject({ failed: 0, complete: true });
    expect((await staffTicket(quiet.id)).feedback).toMatchObject({ rating: 5, comment: null });
  });
});
