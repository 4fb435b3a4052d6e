import { RateLimitedError } from '#core/domain/errors';
import type { Budget } from '#core/domain/rate-limit';
import type { RequestCounter } from '#core/ports/rate-limit';

export interface BudgetCheck extends Budget {
  subject: string;
}

/**
 * Counts the request against each budget in turn and refuses it (429 with Retry-After) at the
 * first one exceeded. A request refused by an earlier budget is not counted by the later ones,
 * so a flood from one address cannot use up a budget that every client shares.
 */
export async function enforceBudgets(
  count: RequestCounter,
  scope: string,
  checks: readonly BudgetCheck[],
  now: Date,
  detail?: string,
): Promise<void> {
  for (const { subject, limit, windowSeconds } of checks) {
    const counted = await count(scope, subject, windowSeconds, now);
    if (counted.count > limit) throw new RateLimitedError(counted.secondsLeft, detail);
  }
}
