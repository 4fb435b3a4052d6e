import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revocationsFromItems } from '#core/adapters/dynamo/items/revocation';
import {
  bucketExpiry,
  EVERY_VERSION,
  isRevoked,
  NO_REVOCATIONS,
  oldestRelevantBucket,
  REVOCATION_CACHE_MS,
  type Revocations,
  revocationBucket,
} from '#core/domain/revocation';
import { ACCESS_TOKEN_TTL_SECONDS } from '#core/domain/session';
import { revocationCache } from '#core/usecases/identity/revocation-cache';

const revocations = (users: Record<string, number>, roles: Record<string, number> = {}): Revocations => ({
  users: new Map(Object.entries(users)),
  roles: new Map(Object.entries(roles)),
});
const token = { userId: 'U1', userVersion: 3, roleId: 'R1', roleVersion: 2 };

describe('isRevoked', () => {
  it('refuses a token issued before a recorded change of its user or its role, and only those', () => {
    expect(isRevoked(NO_REVOCATIONS, token)).toBe(false);
    expect(isRevoked(revocations({ U1: 3 }), token)).toBe(false);
    expect(isRevoked(revocations({ U1: 4 }), token)).toBe(true);
    expect(isRevoked(revocations({ U1: EVERY_VERSION }), token)).toBe(true);
    expect(isRevoked(revocations({ U2: 9 }, { R2: 9 }), token)).toBe(false);
    expect(isRevoked(revocations({}, { R1: 2 }), token)).toBe(false);
    expect(isRevoked(revocations({}, { R1: 3 }), token)).toBe(true);
  });

  it('keeps the highest version an id was recorded with, across buckets and shards', () => {
    const entry = fc.record({
      user: fc.boolean(),
      id: fc.constantFrom('A', 'B', 'C'),
      version: fc.nat(1000),
      item: fc.nat(5),
    });
    fc.assert(
      fc.property(fc.array(entry), (entries) => {
        const items: Record<string, unknown>[] = Array.from({ length: 6 }, () => ({ ttl: 1, type: 'x' }));
        for (const e of entries) {
          const name = `${e.user ? 'u_' : 'r_'}${e.id}`;
          const item = items[e.item]!;
          item[name] = Math.max((item[name] as number | undefined) ?? 0, e.version);
        }
        const read = revocationsFromItems(items);
        for (const user of [true, false]) {
          const expected = new Map<string, number>();
          for (const e of entries.filter((x) => x.user === user && x.version > 0)) {
            expected.set(e.id, Math.max(expected.get(e.id) ?? 0, e.version));
          }
          expect(user ? read.users : read.roles).toEqual(expected);
        }
      }),
    );
  });
});

describe('revocation buckets', () => {
  const tokenLifeMs = ACCESS_TOKEN_TTL_SECONDS * 1000;
  const instant = fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2030-01-01') });

  it('are read as long as a token issued before the change can live, and kept that long', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: tokenLifeMs }), (changedAt, later) => {
        const bucket = revocationBucket(new Date(changedAt));
        expect(bucket).toBeLessThanOrEqual(changedAt);
        expect(oldestRelevantBucket(new Date(changedAt + later))).toBeLessThanOrEqual(bucket);
        expect(bucketExpiry(bucket)).toBeGreaterThan(changedAt + tokenLifeMs);
      }),
    );
  });
});

describe('revocationCache', () => {
  function fakeReader() {
    const reads: string[] = [];
    let fail = false;
    return {
      reads,
      failNext: () => {
        fail = true;
      },
      reader: {
        async recent(tenantId: string) {
          reads.push(tenantId);
          if (fail) {
            fail = false;
            throw new Error('unavailable');
          }
          return revocations({ [tenantId]: reads.length });
        },
      },
    };
  }
  const at = (ms: number) => new Date(Date.parse('2026-12-01T10:00:00.000Z') + ms);

  it('reads a tenant once per lifetime, shares a read in flight and keeps tenants apart', async () => {
    const fake = fakeReader();
    const cache = revocationCache(fake.reader);
    await Promise.all([cache.get('T1', at(0)), cache.get('T1', at(0)), cache.get('T2', at(0))]);
    await cache.get('T1', at(REVOCATION_CACHE_MS - 1));
    expect(fake.reads).toEqual(['T1', 'T2']);
    await cache.get('T1', at(REVOCATION_CACHE_MS));
    expect(fake.reads).toEqual(['T1', 'T2', 'T1']);
    cache.expire();
    await cache.get('T2', at(REVOCATION_CACHE_MS));
    expect(fake.reads).toEqual(['T1', 'T2', 'T1', 'T2']);
  });

  it('does not keep a failed read', async () => {
    const fake = fakeReader();
    const cache = revocationCache(fake.reader, 1000);
    fake.failNext();
    await expect(cache.get('T1', at(0))).rejects.toThrow('unavailable');
    await expect(cache.get('T1', at(1))).resolves.toEqual(revocations({ T1: 2 }));
    expect(fake.reads).toEqual(['T1', 'T1']);
  });
});
