import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessClaims } from '#core/domain/session';
import { applyUserPatch, type UserRecord } from '#core/domain/user';
import { authenticate, resetVerifier } from '#functions/commons/auth';
import { publicJwks, resetSigningKeys } from '#functions/commons/signing-keys';
import { jwtSigner } from '#functions/commons/tokens';
import { generateSigningKey } from '#local/keys';
import { createTestEnv, useSigningKeys } from '#tests/support/env';

const user: UserRecord = {
  id: '01JD6Z3Q8M5V2X9K4T7R1N0B3C',
  tenantId: '01JD6Z3Q8M5V2X9K4T7R1N0B3D',
  username: 'Maria.Lopez',
  fullName: 'Maria Lopez',
  email: null,
  roleId: 'agent',
  branchIds: null,
  active: true,
  passwordHash: 'scrypt$17$8$1$x$y',
  sessionEpoch: 3,
  version: 7,
  deletedAt: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

const noGrants = { permissions: [], version: 0 };

describe('access token claims', () => {
  it('carries user, tenant, role, permissions and every branch when branchIds is null', () => {
    expect(accessClaims(user, { permissions: ['tickets:read'], version: 2 })).toEqual({
      sub: user.id,
      tid: user.tenantId,
      role: 'agent',
      perms: ['tickets:read'],
      branches: ['*'],
      uv: 7,
      rv: 2,
    });
  });

  it('lists the explicit branches of a scoped user', () => {
    expect(accessClaims({ ...user, branchIds: ['B1', 'B2'] }, noGrants).branches).toEqual(['B1', 'B2']);
  });
});

describe('jwtSigner', () => {
  let kid: string;
  beforeAll(async () => {
    // authenticate reads the tenant's revocations: a table to read them from.
    await createTestEnv();
    const key = await generateSigningKey();
    kid = key.kid!;
    useSigningKeys([key, await generateSigningKey()]);
  });

  it('signs ES256 with the current key, 15 minutes, string aud, all claims of the rules', async () => {
    const now = new Date();
    const token = await jwtSigner.sign(
      accessClaims(user, { permissions: ['tickets:read'], version: 2 }),
      now,
    );
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    const iat = Math.floor(now.getTime() / 1000);
    expect(claims).toEqual({
      iss: 'https://queueline.dev',
      aud: 'queueline-api',
      sub: user.id,
      tid: user.tenantId,
      role: 'agent',
      perms: ['tickets:read'],
      branches: ['*'],
      uv: 7,
      rv: 2,
      iat,
      exp: iat + 900,
      jti: expect.stringMatching(/^[0-9A-Z]{26}$/),
    });
  });

  it('gives every token its own jti and is accepted by the verifier of every function', async () => {
    const now = new Date();
    const [a, b] = await Promise.all([
      jwtSigner.sign(accessClaims(user, noGrants), now),
      jwtSigner.sign(accessClaims(user, noGrants), now),
    ]);
    expect(decodeJwt(a).jti).not.toBe(decodeJwt(b).jti);
    expect(await authenticate(`Bearer ${a}`)).toEqual({
      tenantId: user.tenantId,
      userId: user.id,
      roleId: 'agent',
      permissions: [],
      branches: ['*'],
    });
  });
});

describe('verifiers hold the public keys only', () => {
  it('a verifier without the private keys accepts a token of the signer, from QUEUELINE_PUBLIC_JWKS', async () => {
    const token = await jwtSigner.sign(accessClaims(user, noGrants), new Date());
    const { QUEUELINE_SIGNING_KEYS: privateKeys, ...rest } = process.env;
    try {
      // As in AWS: every function but login and refresh has the public JWKS and nothing else.
      delete process.env.QUEUELINE_SIGNING_KEYS;
      resetSigningKeys();
      resetVerifier();
      expect((await authenticate(`Bearer ${token}`)).userId).toBe(user.id);
      expect(publicJwks().keys.every((k) => !('d' in k))).toBe(true);
    } finally {
      process.env = { ...rest, QUEUELINE_SIGNING_KEYS: privateKeys };
      resetSigningKeys();
      resetVerifier();
    }
  });

  it('verification never falls back to the private keys, and publishes no private member', async () => {
    const keys = [await generateSigningKey()];
    useSigningKeys(keys);
    const { QUEUELINE_PUBLIC_JWKS: published } = process.env;
    delete process.env.QUEUELINE_PUBLIC_JWKS;
    resetSigningKeys();
    resetVerifier();
    const token = await jwtSigner.sign(accessClaims(user, noGrants), new Date());
    await expect(authenticate(`Bearer ${token}`)).rejects.toThrow();
    // Even a variable holding private keys yields only their public halves.
    process.env.QUEUELINE_PUBLIC_JWKS = JSON.stringify({ keys });
    resetSigningKeys();
    expect(JSON.stringify(publicJwks())).not.toContain(keys[0]!.d!);
    process.env.QUEUELINE_PUBLIC_JWKS = published;
    resetSigningKeys();
    resetVerifier();
  });
});

describe('user patch', () => {
  const now = new Date('2026-11-21T10:00:00.000Z');

  it('changes only the given fields and bumps the version', () => {
    const next = applyUserPatch(user, { fullName: 'María López', email: 'maria@example.com' }, now);
    expect(next).toMatchObject({
      fullName: 'María López',
      email: 'maria@example.com',
      roleId: 'agent',
      active: true,
      sessionEpoch: 3,
      version: 8,
      updatedAt: now.toISOString(),
    });
  });

  it('ends sessions on deactivation and on a password change, not on other changes', () => {
    expect(applyUserPatch(user, { active: false }, now).sessionEpoch).toBe(4);
    expect(applyUserPatch(user, { passwordHash: 'scrypt$new' }, now).sessionEpoch).toBe(4);
    expect(applyUserPatch(user, { roleId: 'manager', branchIds: ['B1'] }, now).sessionEpoch).toBe(3);
    expect(applyUserPatch({ ...user, active: false }, { active: false }, now).sessionEpoch).toBe(3);
  });

  it('clears email with null, sets all branches with null and removes repeated branch ids', () => {
    const scoped = applyUserPatch(
      { ...user, email: 'x@example.com' },
      { email: null, branchIds: ['B1', 'B1'] },
      now,
    );
    expect(scoped.email).toBeNull();
    expect(scoped.branchIds).toEqual(['B1']);
    expect(applyUserPatch(scoped, { branchIds: null }, now).branchIds).toBeNull();
  });
});
