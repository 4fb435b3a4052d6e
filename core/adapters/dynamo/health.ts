import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from './client';
import { currentScope, withDeadline } from './request-scope';

/** A key nothing is stored under: reading it is the cheapest request the table answers (0.5 RCU). */
const PROBE_KEY = { pk: 'HEALTH', sk: 'HEALTH' };
/** The probe's share of the request: a database that takes longer counts as down. */
const PROBE_MS = 2000;
/** How long one process reuses what it saw, so that frequent checks cost one read per 5 s. */
export const HEALTH_CACHE_MS = 5000;

export type Health = { up: true } | { up: false; error: string };

let last: { at: number; health: Promise<Health> } | undefined;

/** Whether DynamoDB answers a read of the table (what this process saw within the last 5 s). */
export function databaseHealth(): Promise<Health> {
  const now = Date.now();
  if (!last || now - last.at >= HEALTH_CACHE_MS) last = { at: now, health: probe() };
  return last.health;
}

/** Tests: forget what was seen. */
export function forgetHealth(): void {
  last = undefined;
}

function probe(): Promise<Health> {
  // Within the request's own deadline, leaving it time to answer.
  const left = (currentScope()?.deadline ?? Number.POSITIVE_INFINITY) - Date.now();
  return withDeadline<Health>(
    Math.min(PROBE_MS, left / 2),
    async () => {
      try {
        await dynamo().send(new GetCommand({ TableName: tableName(), Key: PROBE_KEY }));
        return { up: true };
      } catch (error) {
        return { up: false, error: (error as Error)?.name ?? 'Error' };
      }
    },
    () => ({ up: false, error: 'TimeoutError' }),
  );
}
