import { ULID_PATTERN } from '#core/contract/schemas/common';
import type { BranchRef } from '#core/ports/day-close';

/**
 * The day-close queue (AWS): one message per branch whose close should run — each due branch of
 * an hourly run, or a manual close that outlasted its request. The subscriber
 * (functions/close-branch.ts) runs the per-branch close for each.
 */
export interface CloseMessage extends BranchRef {
  /** The instant of the hourly run it belongs to; absent: the time it is handled. */
  at?: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The message in a body, or undefined when it is not one of ours. */
export function parseCloseMessage(body: string): CloseMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const { tenantId, branchId, at } = (value ?? {}) as Record<string, unknown>;
  if (typeof tenantId !== 'string' || !ULID_PATTERN.test(tenantId)) return undefined;
  if (typeof branchId !== 'string' || !ULID_PATTERN.test(branchId)) return undefined;
  if (at !== undefined && (typeof at !== 'string' || !INSTANT.test(at) || Number.isNaN(Date.parse(at))))
    return undefined;
  return { tenantId, branchId, ...(at !== undefined && { at }) };
}

const BATCH = 10;
const IN_FLIGHT = 8;
const ATTEMPTS = 3;

/**
 * Sends one message per branch: ten per request (SQS's most), eight requests in flight, entries
 * SQS refused sent again. Throws when some still fail: the caller's retry sends all again, and
 * a close run twice finds nothing to do the second time.
 */
export async function sendCloseMessages(queueUrl: string, messages: readonly CloseMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const { sendBatch } = await import('./sqs-client');
  const batches: string[][] = [];
  for (let i = 0; i < messages.length; i += BATCH) {
    batches.push(messages.slice(i, i + BATCH).map((m) => JSON.stringify(m)));
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let bodies = batches[next++]!;
      for (let attempt = 1; bodies.length > 0; attempt++) {
        if (attempt > ATTEMPTS) throw new Error(`SQS refused ${bodies.length} day-close message(s)`);
        const failed = await sendBatch(queueUrl, bodies);
        bodies = failed.map((i) => bodies[i]!);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, worker));
}
