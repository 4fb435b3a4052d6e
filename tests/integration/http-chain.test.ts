import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

describe('system routes through the real middy chain', () => {
  it('GET /health answers ok with a request id', async () => {
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toMatch(/[0-9a-f-]{36}/);
  });

  it('GET /.well-known/jwks.json lists only public key material', async () => {
    const res = await call('GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    expect(res.body.keys[0].kid).toBe(env.signingKey.kid);
    expect(res.body.keys[0]).not.toHaveProperty('d');
    expect(res.text).not.toContain(env.signingKey.d);
  });
});
