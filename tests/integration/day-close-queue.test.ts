import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dynamoSetupStore } from '#core/adapters/dynamo/setup-store';
import { sqs } from '#core/adapters/queue/sqs-client';
import { businessDayEnd } from '#core/domain/business-day';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { handler as closeBranch } from '#functions/close-branch';
import { ticketContext } from '#functions/commons/context';
import { logger } from '#functions/commons/logger';
import { handler as nightlyReset } from '#functions/nightly-reset';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { injectFault } from '#tests/support/fault-injection';
import { emfLinesOf, metricsOf } from '#tests/support/metrics';
import { mintToken } from '#tests/support/tokens';

/**
 * The day close as it runs in AWS: the hourly job queues one message per due branch, and the
 * queue's subscriber closes them (docs/rules.md#day-close). SQS itself is stood in for on the SQS
 * client's middleware stack (what SendMessageBatch was asked, what it answers); DynamoDB is real.
 */

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/DayCloseQueue';

interface Sent {
  QueueUrl: string;
  Entries: Array<{ Id: string; MessageBody: string }>;
}
let sent: Sent[] = [];
/** Entry ids SQS refuses, once each. */
let refuse: string[] = [];

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  process.env.AWS_REGION ??= 'eu-west-1';
  sqs().middlewareStack.add(
    () => async (args: any) => {
      const input = args.input as Sent;
      sent.push(input);
      const failed = input.Entries.filter((e) => refuse.includes(e.Id));
      refuse = refuse.filter((id) => !failed.some((e) => e.Id === id));
      return {
        output: {
          $metadata: { httpStatusCode: 200 },
          Successful: input.Entries.filter((e) => !failed.includes(e)).map((e) => ({
            Id: e.Id,
            MessageId: ulid(),
            MD5OfMessageBody: '',
          })),
          Failed: failed.map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError' })),
        },
        response: {},
      };
    },
    { step: 'initialize', name: 'sqsStandIn' },
  );
});

beforeEach(() => {
  process.env.CLOSE_QUEUE_URL = QUEUE_URL;
  sent = [];
});
afterEach(() => {
  delete process.env.CLOSE_QUEUE_URL;
  delete process.env.CLOSE_DAY_BUDGET_MS;
  vi.restoreAllMocks();
});

const messages = () => sent.flatMap((r) => r.Entries.map((e) => JSON.parse(e.MessageBody)));

async function branchWithTickets(day: Date, n = 1, tenantId?: string) {
  const f = await createBranchFixture({ now: day, ...(tenantId && { tenantId }) });
  const ctx = ticketContext({
    actor: { tenantId: f.tenantId, userId: ulid(), roleId: 'admin', permissions: [], branches: ['*'] },
    now: day,
  });
  for (let i = 0; i < n; i++) await enqueue(ctx, { branchId: f.branchId, queueId: f.queues.G!.id });
  return f;
}

const statuses = async (f: BranchFixture) => {
  const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  const setup = await dynamoSetupStore.load(f.tenantId, f.branchId);
  const day = setup.queues[0]!.numbering!.day;
  const res = await call('GET', `/v1/branches/${f.branchId}/tickets`, { token, query: { businessDay: day } });
  return res.body.items.map((t: { status: string }) => t.status);
};

const record = (body: string): SQSRecord => ({ messageId: ulid(), body }) as SQSRecord;
const delivery = (records: SQSRecord[]): SQSEvent => ({ Records: records });
const lambdaContext = { getRemainingTimeInMillis: () => 110_000 };

describe('the hourly job in AWS', () => {
  it('queues one message per due branch, ten per request, sends refused entries again, and closes none itself', async () => {
    const day = new Date('2025-05-12T09:00:00Z');
    const at = businessDayEnd('2025-05-12', 'Europe/Madrid', 3).toISOString();
    const branches: BranchFixture[] = [];
    for (let i = 0; i < 12; i++) branches.push(await branchWithTickets(day));
    refuse = ['3'];

    const result = await nightlyReset({ at });

    expect(result).toMatchObject({ at, due: 12, queued: 12, closed: 0, failed: 0 });
    expect(sent.every((r) => r.QueueUrl === QUEUE_URL)).toBe(true);
    expect(sent.map((r) => r.Entries.length).sort((a, b) => a - b)).toEqual([1, 2, 10]);
    const bodies = messages();
    expect(new Set(bodies.map((m) => m.branchId))).toEqual(new Set(branches.map((f) => f.branchId)));
    expect(bodies).toHaveLength(13); // the refused one twice
    for (const m of bodies) {
      expect(m).toEqual({ tenantId: expect.any(String), branchId: expect.any(String), at });
    }
    expect(await statuses(branches[0]!)).toEqual(['waiting']);
  });
});

describe('the day-close queue subscriber', () => {
  it('closes each branch of a batch in isolation and reports only the failed and unreadable messages', async () => {
    const day = new Date('2025-06-02T09:00:00Z');
    const at = businessDayEnd('2025-06-02', 'Europe/Madrid', 3).toISOString();
    const tenantId = ulid();
    const [healthy, failing, other] = [
      await branchWithTickets(day, 2, tenantId),
      await branchWithTickets(day, 2, tenantId),
      await branchWithTickets(day, 2),
    ] as [BranchFixture, BranchFixture, BranchFixture];
    const fault = injectFault({
      command: 'TransactWriteItems',
      times: Number.POSITIVE_INFINITY,
      when: (input) => JSON.stringify(input).includes(failing.branchId),
      error: () => Object.assign(new Error('Internal failure'), { name: 'InternalFailure' }),
    });
    const errors = vi.spyOn(logger, 'error');
    const body = (f: BranchFixture) => JSON.stringify({ tenantId: f.tenantId, branchId: f.branchId, at });
    const records = [record(body(healthy)), record(body(failing)), record('{"hello":'), record(body(other))];
    try {
      const { result: res, lines } = await emfLinesOf(() => closeBranch(delivery(records), lambdaContext));
      expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
        [records[1]!.messageId, records[2]!.messageId].sort(),
      );
      // The batch's closes as one EMF line: two done, one failed (the unreadable message is no close).
      expect(lines).toHaveLength(1);
      expect(lines[0]!._aws.CloudWatchMetrics[0]).toMatchObject({
        Namespace: 'Queueline',
        Dimensions: [['service']],
      });
      expect(metricsOf(lines[0]!)).toEqual({
        DayCloseDone: { unit: 'Count', value: 2 },
        DayCloseFailed: { unit: 'Count', value: 1 },
      });
    } finally {
      fault.remove();
    }
    expect(await statuses(healthy)).toEqual(['expired', 'expired']);
    expect(await statuses(other)).toEqual(['expired', 'expired']);
    expect(await statuses(failing)).toEqual(['waiting', 'waiting']);
    expect(errors).toHaveBeenCalledWith(
      'day close failed',
      expect.objectContaining({ branchId: failing.branchId, tenantId }),
    );
    // SQS delivers it again: now it closes.
    expect((await closeBranch(delivery([record(body(failing))]), lambdaContext)).batchItemFailures).toEqual(
      [],
    );
    expect(await statuses(failing)).toEqual(['expired', 'expired']);
  });

  it('finishes a manual close that outlasted its request, handed on as a message', async () => {
    process.env.CLOSE_DAY_BUDGET_MS = '0';
    const f = await branchWithTickets(new Date(), 3);
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'manager' });
    const url = `/v1/branches/${f.branchId}/close-day`;
    const handedOn = await emfLinesOf(() => call('POST', url, { token }));
    expect(handedOn.result.status).toBe(202);
    expect(handedOn.lines).toEqual([]);
    expect(messages()).toEqual([{ tenantId: f.tenantId, branchId: f.branchId }]);
    expect((await call('GET', url, { token })).body.status).toBe('closing');

    const { result: res, lines } = await emfLinesOf(() =>
      closeBranch(delivery([record(sent[0]!.Entries[0]!.MessageBody)]), lambdaContext),
    );
    expect(res.batchItemFailures).toEqual([]);
    // Two closes done: the manual one, and — the close moved the branch's due entry to its start —
    // the nightly close of the days before (this new branch's first).
    expect(lines.map(metricsOf)).toEqual([{ DayCloseDone: { unit: 'Count', value: 2 } }]);
    expect((await call('GET', url, { token })).body).toMatchObject({ status: 'closed', expired: 3 });
    expect(await statuses(f)).toEqual(['expired', 'expired', 'expired']);
  });
});
