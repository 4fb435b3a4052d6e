import { type Revocations, raise } from '#core/domain/revocation';
import { tenantPartition } from './tenant';

/**
 * Revocations of a tenant, one item per bucket (core/domain/revocation.ts) and shard, under
 * `REVOKED#<bucket start>#<shard>` in the tenant partition: one Query of a key range reads every
 * bucket that still matters. Entries are flat attributes, `u_<userId>` and `r_<roleId>`, each
 * the version a change produced. Shards keep concurrent changes of different users (each one
 * transaction with its bucket item) from contending for a single item.
 */
export const REVOCATION_PREFIX = 'REVOKED#';
export const REVOCATION_SHARDS = 4;

const USER_ENTRY = 'u_';
const ROLE_ENTRY = 'r_';

export type RevokedSubject = { userId: string } | { roleId: string };

const idOf = (subject: RevokedSubject) => ('userId' in subject ? subject.userId : subject.roleId);

/** A small string hash: the same id always lands in the same shard. */
function shardOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % REVOCATION_SHARDS;
}

const bucketSortKey = (bucket: number) => `${REVOCATION_PREFIX}${new Date(bucket).toISOString()}`;

export const revocationKey = (tenantId: string, bucket: number, subject: RevokedSubject) => ({
  pk: tenantPartition(tenantId),
  sk: `${bucketSortKey(bucket)}#${shardOf(idOf(subject))}`,
});

/** The attribute that records a revocation of `subject`. */
export const revocationEntry = (subject: RevokedSubject) =>
  'userId' in subject ? `${USER_ENTRY}${subject.userId}` : `${ROLE_ENTRY}${subject.roleId}`;

/** The sort-key range of every bucket from `oldestBucket` on (later ones too: clocks differ). */
export const revocationRange = (oldestBucket: number) => ({
  from: bucketSortKey(oldestBucket),
  to: `${REVOCATION_PREFIX}~`,
});

export function revocationsFromItems(items: readonly Record<string, unknown>[]): Revocations {
  const users = new Map<string, number>();
  const roles = new Map<string, number>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      if (typeof value !== 'number') continue;
      if (name.startsWith(USER_ENTRY)) raise(users, name.slice(USER_ENTRY.length), value);
      else if (name.startsWith(ROLE_ENTRY)) raise(roles, name.slice(ROLE_ENTRY.length), value);
    }
  }
  return { users, roles };
}
