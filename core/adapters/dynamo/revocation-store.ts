import { bucketExpiry, oldestRelevantBucket, revocationBucket } from '#core/domain/revocation';
import type { RevocationStore } from '#core/ports/revocations';
import {
  type RevokedSubject,
  revocationEntry,
  revocationKey,
  revocationRange,
  revocationsFromItems,
} from './items/revocation';
import { tenantPartition } from './items/tenant';
import { queryAll, updateOf } from './operations';
import type { TransactItems } from './transact';

/**
 * The transaction item that records "tokens of `subject` below `version` are revoked", for the
 * stores to add to the very transaction that makes the change: the change and its revocation
 * land together or not at all. The bucket follows this process's clock, the clock readers use
 * too, whatever time the caller's record says.
 */
export function revocationWrite(
  tenantId: string,
  subject: RevokedSubject,
  version: number,
): TransactItems[number] {
  const bucket = revocationBucket(new Date());
  return {
    Update: updateOf(revocationKey(tenantId, bucket, subject), {
      set: {
        type: 'revocations',
        [revocationEntry(subject)]: version,
        ttl: Math.ceil(bucketExpiry(bucket) / 1000),
      },
    }),
  };
}

export const dynamoRevocationStore: RevocationStore = {
  async recent(tenantId, now) {
    const { from, to } = revocationRange(oldestRelevantBucket(now));
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':from': from, ':to': to },
      // A change acknowledged before this read started must be seen by it.
      ConsistentRead: true,
    });
    return revocationsFromItems(items);
  },
};
