import { type CryptoKey, exportSPKI, importJWK, type JWK, SignJWT } from 'jose';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '#local/keys';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { verifiedTenant } from '#tests/support/identity-fixtures';

/** Every tampered or foreign access token is a 401 on GET /v1/me (docs/rules.md#sessions). */

let env: TestEnv;
let org: Awaited<ReturnType<typeof verifiedTenant>>;
let publicJwk: JWK;
beforeAll(async () => {
  env = await createTestEnv();
  org = await verifiedTenant(env);
  const { d: _, ...rest } = env.signingKey;
  publicJwk = rest;
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: 'https://queueline.dev',
    aud: 'queueline-api',
    sub: org.admin.id,
    tid: org.tenant.id,
    role: 'admin',
    perms: ['users:read'],
    branches: ['*'],
    iat: now(),
    exp: now() + 900,
    jti: ulid(),
    ...overrides,
  };
}

/**
 * ES256 with the given key (the real one by default); `kid` defaults to that key's, null = none.
 */
async function es256(
  payload: Record<string, unknown>,
  key: JWK = env.signingKey,
  kid: string | null = key.kid!,
) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(kid !== null && { kid }) })
    .sign(await importJWK(key, 'ES256'));
}

const me = (token: string) => call('GET', '/v1/me', { token });

function expect401(res: Awaited<ReturnType<typeof me>>) {
  expect(res.status, res.text).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer');
  expect(res.text).not.toContain(org.admin.id);
}

describe('access token verification', () => {
  it('accepts a well-formed token (control)', async () => {
    const res = await me(await es256(claims()));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(org.admin.id);
  });

  it('rejects a tampered signature', async () => {
    const [h, p, s] = (await es256(claims())).split('.');
    const flipped = `${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
    expect401(await me(`${h}.${p}.${flipped}`));
  });

  it('rejects a tampered payload under the original signature', async () => {
    const [h, , s] = (await es256(claims({ role: 'display', perms: [] }))).split('.');
    expect401(await me(`${h}.${b64(claims({ role: 'admin' }))}.${s}`));
  });

  it('rejects alg none, with or without a signature part', async () => {
    const header = b64({ alg: 'none', typ: 'JWT', kid: env.signingKey.kid });
    expect401(await me(`${header}.${b64(claims())}.`));
    expect401(await me(`${header}.${b64(claims())}.AAAA`));
  });

  it('rejects HS256 signed with the public key (as JWK JSON and as PEM)', async () => {
    const pem = await exportSPKI((await importJWK(publicJwk, 'ES256')) as CryptoKey);
    for (const secret of [JSON.stringify(publicJwk), pem]) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: env.signingKey.kid })
        .sign(new TextEncoder().encode(secret));
      expect401(await me(token));
    }
  });

  it('rejects a token without exp', async () => {
    const { exp: _, ...noExp } = claims();
    expect401(await me(await es256(noExp)));
  });

  it('rejects an expired token', async () => {
    expect401(await me(await es256(claims({ iat: now() - 1000, exp: now() - 100 }))));
  });

  it('rejects a wrong issuer', async () => {
    expect401(await me(await es256(claims({ iss: 'https://evil.example' }))));
  });

  it('rejects a wrong audience', async () => {
    expect401(await me(await es256(claims({ aud: 'another-api' }))));
  });

  it('rejects an unknown kid, a missing kid, and a foreign key claiming our kid', async () => {
    const foreign = await generateSigningKey();
    expect401(await me(await es256(claims(), env.signingKey, 'unknown-kid')));
    expect401(await me(await es256(claims(), foreign)));
    expect401(await me(await es256(claims(), env.signingKey, null)));
    expect401(await me(await es256(claims(), foreign, env.signingKey.kid!)));
  });

  it('rejects a validly signed token that lacks the Queueline claims', async () => {
    const { tid: _, ...noTenant } = claims();
    expect401(await me(await es256(noTenant)));
    expect401(await me(await es256(claims({ branches: '*' }))));
  });
});
