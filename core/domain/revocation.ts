import { ACCESS_TOKEN_TTL_SECONDS } from './session';

/**
 * Ending access tokens before their `exp`. A token carries the version of its user record
 * (`uv`) and of its custom role (`rv`) as they were when it was issued. A change that must end
 * tokens records, for its tenant, the version it produced; a token whose version is below a
 * recorded one was issued before that change and is refused. Versions, not times: a token
 * issued in the same second (or millisecond) as a change is still ordered correctly.
 */
export interface Revocations {
  /** User id → the lowest user version whose tokens are still good. */
  users: ReadonlyMap<string, number>;
  /** Custom role id → the lowest role version whose tokens are still good. */
  roles: ReadonlyMap<string, number>;
}

export interface TokenVersions {
  userId: string;
  userVersion: number;
  roleId: string;
  roleVersion: number;
}

export const NO_REVOCATIONS: Revocations = { users: new Map(), roles: new Map() };

/** What a deleted user records: it never comes back, so every token of it is older. */
export const EVERY_VERSION = Number.MAX_SAFE_INTEGER;

export function isRevoked(revocations: Revocations, token: TokenVersions): boolean {
  return (
    token.userVersion < (revocations.users.get(token.userId) ?? 0) ||
    token.roleVersion < (revocations.roles.get(token.roleId) ?? 0)
  );
}

/** Keeps, per id, the highest version recorded (entries of several buckets may name one id). */
export function raise(versions: Map<string, number>, id: string, version: number): void {
  if (version > (versions.get(id) ?? 0)) versions.set(id, version);
}

/**
 * How long a process trusts the revocations it read for a tenant. A change is refused
 * everywhere at most this long (plus one read) after it was written: well inside 60 s.
 */
export const REVOCATION_CACHE_MS = 30_000;

/** Revocations are recorded per tenant in buckets of this length, so that old ones expire. */
export const REVOCATION_BUCKET_MS = 15 * 60_000;

/**
 * A revocation matters while tokens issued before it live: one token lifetime, plus a minute
 * for clocks of different functions that disagree.
 */
const RELEVANCE_MS = ACCESS_TOKEN_TTL_SECONDS * 1000 + 60_000;

/** Start (epoch ms) of the bucket a change at `at` is recorded in. */
export const revocationBucket = (at: Date) =>
  Math.floor(at.getTime() / REVOCATION_BUCKET_MS) * REVOCATION_BUCKET_MS;

/** The oldest bucket whose entries can still refuse a live token at `now`. */
export const oldestRelevantBucket = (now: Date) => revocationBucket(new Date(now.getTime() - RELEVANCE_MS));

/** When a bucket's entries stop mattering (epoch ms): its end plus their relevance. */
export const bucketExpiry = (bucket: number) => bucket + REVOCATION_BUCKET_MS + RELEVANCE_MS;
