import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ServiceUnavailableError } from '#core/domain/errors';
import {
  claimedUntil,
  decideAttempt,
  failedUntil,
  LOGIN_MAX_FAILURES,
  LOGIN_WAIT_MS,
  LOGIN_WINDOW_MS,
  type Slots,
} from '#core/domain/login-throttle';
import type { LoginThrottleStore, ThrottleClaim } from '#core/ports/sessions';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';
import { loginThrottleKey, slotClaim, slotsFromItem, slotUntil } from './items/login-throttle';
import { sleep, updateOf } from './operations';

type Claimed = ThrottleClaim & { claimed: true };

/** The item outlives every slot it holds: a failure written now is the longest. */
const ttlFrom = (now: Date) => Math.ceil((now.getTime() + LOGIN_WINDOW_MS) / 1000) + 60;

/** Pauses between looks at slots held by attempts in flight: short first, then ~0.3 s. */
const pause = (look: number) => sleep(Math.min(300, 25 * 2 ** look) * (0.5 + Math.random() / 2));

async function readSlots(subject: string): Promise<Slots> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: loginThrottleKey(subject), ConsistentRead: true }),
  );
  return slotsFromItem(Item);
}

/**
 * Takes a free slot with one conditional write ("free, or held past its time"), so two
 * attempts never hold the same slot. The first try picks a slot blindly; a lost race returns
 * the item as it stands (ALL_OLD), from which the next try picks among the free ones. `now`
 * moves on with the wall clock while the attempt waits.
 */
async function claim(subject: string, now: Date): Promise<ThrottleClaim> {
  const started = Date.now();
  const current = () => new Date(now.getTime() + (Date.now() - started));
  let candidates = Array.from({ length: LOGIN_MAX_FAILURES }, (_, i) => i);
  for (let look = 0; Date.now() - started < LOGIN_WAIT_MS; ) {
    const at = current();
    const slot = candidates[Math.floor(Math.random() * candidates.length)]!;
    const claimId = randomUUID();
    let slots: Slots;
    try {
      await dynamo().send(
        new UpdateCommand({
          ...updateOf(loginThrottleKey(subject), {
            set: {
              type: 'login-throttle',
              [slotUntil(slot)]: claimedUntil(at),
              [slotClaim(slot)]: claimId,
              ttl: ttlFrom(at),
            },
            condition: (x) =>
              `attribute_not_exists(${x.name(slotUntil(slot))}) OR ${x.name(slotUntil(slot))} <= ${x.value(at.getTime())}`,
          }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true, subject, slot, claimId };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      slots = slotsFromItem(old && unmarshall(old));
    }
    for (;;) {
      const decision = decideAttempt(slots, current());
      if (decision.kind === 'locked')
        return { claimed: false, retryAfterSeconds: decision.retryAfterSeconds };
      if (decision.kind === 'claim') {
        candidates = decision.free;
        break;
      }
      if (Date.now() - started >= LOGIN_WAIT_MS) break;
      await pause(look++);
      slots = await readSlots(subject);
    }
  }
  throw new ServiceUnavailableError('Too many simultaneous login attempts, retry shortly');
}

/** Updates the claimed slot only while this attempt still holds it; false if it was reclaimed. */
async function updateClaimed(claimed: Claimed, spec: Parameters<typeof updateOf>[1]): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand(
        updateOf(loginThrottleKey(claimed.subject), {
          ...spec,
          condition: (x) => `${x.name(slotClaim(claimed.slot))} = ${x.value(claimed.claimId)}`,
        }),
      ),
    );
    return true;
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    return false;
  }
}

export const dynamoLoginThrottleStore: LoginThrottleStore = {
  claim,

  fail: (claimed, now) =>
    updateClaimed(claimed, {
      set: { [slotUntil(claimed.slot)]: failedUntil(now), ttl: ttlFrom(now) },
      remove: [slotClaim(claimed.slot)],
    }),

  release: (claimed) =>
    updateClaimed(claimed, { remove: [slotUntil(claimed.slot), slotClaim(claimed.slot)] }),
};
