import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { LOGO_PREFIX, tenantPartition } from '#core/adapters/dynamo/items/tenant';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { freshIp, verifiedTenant } from '#tests/support/identity-fixtures';
import { dataUrl, GIF, png, WEBP_LOSSLESS, WEBP_LOSSY } from '#tests/support/images';
import { ISO_MS } from '#tests/support/rules';
import { startTestServer } from '#tests/support/server';
import { setupApi } from '#tests/support/setup-fixtures';
import { mintToken } from '#tests/support/tokens';

/**
 * Tenant settings over HTTP (the real middy chain on DynamoDB Local): GET/PATCH /v1/tenant for
 * administrators only, the logo checked by its content and served back from its public path,
 * the branding shown to staff screens and on the public status, and tenants kept apart.
 */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

const LOGO_PATH = /^\/v1\/public\/logos\/([0-9A-HJKMNP-TV-Z]{26})\/([A-Za-z0-9_-]{22})$/;

const patchTenant = (token: string, branding: unknown) =>
  call('PATCH', '/v1/tenant', { token, body: { branding } });
const getTenant = async (token: string) => {
  const res = await call('GET', '/v1/tenant', { token });
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const fetchLogo = (url: string) => call('GET', url, { sourceIp: freshIp() });
const bytesOf = (res: { text: string | undefined }) => Buffer.from(res.text ?? '', 'base64');

describe('GET /v1/tenant', () => {
  it('answers the organisation with empty branding at first', async () => {
    const { tenant, token } = await verifiedTenant(env);
    expect(await getTenant(token)).toEqual({
      id: tenant.id,
      slug: tenant.slug,
      name: 'Test Org',
      branding: { displayName: null, accentColor: null, logoUrl: null },
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
  });
});

describe('PATCH /v1/tenant', () => {
  it('sets the name and colour, keeps what is not given, clears what is null', async () => {
    const { token } = await verifiedTenant(env);
    const first = await patchTenant(token, { displayName: 'City Clinic', accentColor: '#1e88e5' });
    expect(first.status, first.text).toBe(200);
    expect(first.body.branding).toEqual({
      displayName: 'City Clinic',
      accentColor: '#1E88E5',
      logoUrl: null,
    });
    const second = await patchTenant(token, { accentColor: '#0D47A1' });
    expect(second.body.branding).toEqual({
      displayName: 'City Clinic',
      accentColor: '#0D47A1',
      logoUrl: null,
    });
    expect(Date.parse(second.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.body.updatedAt));
    const cleared = await patchTenant(token, { displayName: null });
    expect(cleared.body.branding).toEqual({ displayName: null, accentColor: '#0D47A1', logoUrl: null });
    expect((await getTenant(token)).branding).toEqual(cleared.body.branding);
  });

  it.each([
    ['PNG', 'image/png', png(64, 32)],
    ['lossy WebP', 'image/webp', WEBP_LOSSY],
    ['lossless WebP', 'image/webp', WEBP_LOSSLESS],
  ])('stores a %s logo and serves its bytes from a public, versioned path', async (_, type, bytes) => {
    const { tenant, token } = await verifiedTenant(env);
    const res = await patchTenant(token, { logo: dataUrl(type, bytes) });
    expect(res.status, res.text).toBe(200);
    const url: string = res.body.branding.logoUrl;
    const [, tenantId] = LOGO_PATH.exec(url) ?? [];
    expect(tenantId).toBe(tenant.id);
    // The settings name the logo; they never carry its bytes.
    expect(res.text!.length).toBeLessThan(1000);
    expect((await getTenant(token)).branding.logoUrl).toBe(url);

    const logo = await fetchLogo(url); // no token: it is public
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toBe(type);
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
    expect(logo.headers['cache-control']).toMatch(/public, max-age=31536000, immutable/);
    expect(bytesOf(logo).equals(bytes)).toBe(true);
  });

  it('replaces a logo: a new path, the old one gone; null removes it', async () => {
    const { token } = await verifiedTenant(env);
    const old = (await patchTenant(token, { logo: dataUrl('image/png', png(8, 8)) })).body.branding.logoUrl;
    const replaced = await patchTenant(token, { logo: dataUrl('image/webp', WEBP_LOSSY) });
    const url = replaced.body.branding.logoUrl;
    expect(url).not.toBe(old);
    expect((await fetchLogo(old)).status).toBe(404);
    expect((await fetchLogo(url)).headers['content-type']).toBe('image/webp');
    // The same logo again: the same path, still served.
    expect(
      (await patchTenant(token, { logo: dataUrl('image/webp', WEBP_LOSSY) })).body.branding.logoUrl,
    ).toBe(url);
    expect((await fetchLogo(url)).status).toBe(200);
    const removed = await patchTenant(token, { logo: null });
    expect(removed.body.branding.logoUrl).toBeNull();
    expect((await fetchLogo(url)).status).toBe(404);
  });

  const bad: Array<[string, unknown]> = [
    ['a colour name', { accentColor: 'red' }],
    ['a short colour', { accentColor: '#12345' }],
    ['a colour with alpha', { accentColor: '#11223344' }],
    ['a logo over 200 KiB', { logo: dataUrl('image/png', png(228, 228, 'noise')) }],
    [
      'a PNG-named non-PNG',
      { logo: dataUrl('image/png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')) },
    ],
    ['a GIF', { logo: dataUrl('image/gif', GIF) }],
    ['a GIF named PNG', { logo: dataUrl('image/png', GIF) }],
    ['a broken PNG', { logo: dataUrl('image/png', png(4, 4).subarray(0, 50)) }],
    ['a logo by URL', { logo: 'https://example.com/logo.png' }],
    ['an empty name', { displayName: '   ' }],
    ['an unknown field', { logoUrl: '/v1/public/logos/x/y' }],
    ['no field', {}],
  ];
  it.each(bad)('refuses %s with a 400 and changes nothing', async (_, branding) => {
    const { token } = await verifiedTenant(env);
    await patchTenant(token, {
      displayName: 'Kept',
      accentColor: '#123456',
      logo: dataUrl('image/png', png(2, 2)),
    });
    const before = await getTenant(token);
    const res = await patchTenant(token, branding);
    expect(res.status, res.text).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(await getTenant(token)).toEqual(before);
    expect((await fetchLogo(before.branding.logoUrl)).status).toBe(200);
  });

  it('413 for a body past its 320 KiB limit; a logo of 200 KiB and more fits the body but not the rule', async () => {
    const { token } = await verifiedTenant(env);
    const huge = await call('PATCH', '/v1/tenant', {
      token,
      body: { branding: { logo: `data:image/png;base64,${'A'.repeat(330 * 1024)}` } },
    });
    expect(huge.status).toBe(413);
    const big = await patchTenant(token, { logo: dataUrl('image/png', png(228, 228, 'noise')) });
    expect(big.status).toBe(400);
    expect(big.body.errors).toEqual([
      { path: 'body.branding.logo', message: expect.stringMatching(/200 KiB/) },
    ]);
  });
});

describe('concurrent logo changes', () => {
  it('parallel replacements leave exactly one logo, the one the tenant names, and no orphan', async () => {
    const { tenant, token } = await verifiedTenant(env);
    await patchTenant(token, { logo: dataUrl('image/png', png(3, 3)) });
    const logos = Array.from({ length: 6 }, (_, i) => png(4 + i, 4));
    const answers = await Promise.all(
      logos.map((l) => patchTenant(token, { logo: dataUrl('image/png', l) })),
    );
    // Each either went through, or lost every retry to the others (409): never a 5xx.
    for (const a of answers) expect([200, 409], a.text).toContain(a.status);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    const url: string = (await getTenant(token)).branding.logoUrl;
    const { Items } = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :logo)',
        ExpressionAttributeValues: { ':pk': tenantPartition(tenant.id), ':logo': LOGO_PREFIX },
        ConsistentRead: true,
      }),
    );
    expect(Items!.map((i) => `/v1/public/logos/${tenant.id}/${String(i.sk).slice('LOGO#'.length)}`)).toEqual([
      url,
    ]);
    const served = bytesOf(await fetchLogo(url));
    expect(logos.some((l) => l.equals(served))).toBe(true);
  });
});

describe('who may', () => {
  it('admins only: manager, agent, kiosk, display and insiders with users or branches writes get 403', async () => {
    const { tenant, token } = await verifiedTenant(env);
    await patchTenant(token, { displayName: 'Before' });
    const insiders = [
      await mintToken(env.signingKey, { tenantId: tenant.id, role: 'manager' }),
      await mintToken(env.signingKey, { tenantId: tenant.id, role: 'kiosk' }),
      await mintToken(env.signingKey, { tenantId: tenant.id, role: 'display' }),
      await mintToken(env.signingKey, {
        tenantId: tenant.id,
        role: ulid(),
        perms: ['users:create', 'users:read', 'users:update', 'users:delete', 'roles:read'],
      }),
      await mintToken(env.signingKey, {
        tenantId: tenant.id,
        role: ulid(),
        perms: ['branches:create', 'branches:read', 'branches:update', 'branches:delete'],
      }),
    ];
    for (const insider of insiders) {
      const read = await call('GET', '/v1/tenant', { token: insider });
      expect(read.status, read.text).toBe(403);
      const write = await patchTenant(insider, { displayName: 'Hijacked' });
      expect(write.status, write.text).toBe(403);
      // 403 (permission) comes before 400 (validation).
      expect((await patchTenant(insider, { accentColor: 'nope' })).status).toBe(403);
    }
    expect((await call('GET', '/v1/tenant')).status).toBe(401);
    expect((await getTenant(token)).branding.displayName).toBe('Before');
    // A custom role holding roles:update is an administrator of the organisation.
    const roleAdmin = await mintToken(env.signingKey, {
      tenantId: tenant.id,
      role: ulid(),
      perms: ['roles:update'],
    });
    expect((await patchTenant(roleAdmin, { displayName: 'After' })).status).toBe(200);
  });

  it('every signed-in user reads the branding the screens show (GET /v1/tenant/branding)', async () => {
    const { tenant, token } = await verifiedTenant(env);
    const { branding } = (await patchTenant(token, { displayName: 'Lobby', accentColor: '#FFEB3B' })).body;
    for (const role of ['kiosk', 'display', 'agent']) {
      const res = await call('GET', '/v1/tenant/branding', {
        token: await mintToken(env.signingKey, { tenantId: tenant.id, role }),
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual(branding);
    }
  });
});

describe('tenants are kept apart', () => {
  it('one tenant’s change and logo never reach another’s', async () => {
    const a = await verifiedTenant(env);
    const b = await verifiedTenant(env);
    const aLogo = (await patchTenant(a.token, { displayName: 'A', logo: dataUrl('image/png', png(5, 5)) }))
      .body.branding.logoUrl as string;
    await patchTenant(b.token, { displayName: 'B', accentColor: '#000000' });
    expect((await getTenant(a.token)).branding).toMatchObject({ displayName: 'A', accentColor: null });
    expect((await getTenant(b.token)).branding).toEqual({
      displayName: 'B',
      accentColor: '#000000',
      logoUrl: null,
    });
    // A's logo id under B's tenant id: nothing.
    const [, , logoId] = LOGO_PATH.exec(aLogo)!;
    expect((await fetchLogo(`/v1/public/logos/${b.tenant.id}/${logoId}`)).status).toBe(404);
    // B clearing its (absent) logo leaves A's.
    await patchTenant(b.token, { logo: null });
    expect((await fetchLogo(aLogo)).status).toBe(200);
  });
});

describe('the public status carries the branding', () => {
  it('name, colour and logo path, without a login', async () => {
    const { token } = await verifiedTenant(env);
    const { branding } = (
      await patchTenant(token, {
        displayName: 'City Clinic',
        accentColor: '#0D47A1',
        logo: dataUrl('image/png', png(4, 4)),
      })
    ).body;
    const api = setupApi(token);
    const priority = await api.priority();
    const branch = await api.branch();
    const queue = await api.queue(branch.id, { prefix: 'A', priorityId: priority.id });
    const issued = await call('POST', `/v1/branches/${branch.id}/tickets`, {
      token,
      body: { queueId: queue.id },
    });
    expect(issued.status, issued.text).toBe(201);
    const status = await call('GET', `/v1/public/tickets/${issued.body.ticket.publicToken}`, {
      sourceIp: freshIp(),
    });
    expect(status.status).toBe(200);
    expect(status.body.branding).toEqual(branding);
    expect(branding.logoUrl).toMatch(LOGO_PATH);
  });
});

describe('over the local HTTP server', () => {
  it('a 200 KiB logo passes the route’s own body limit; the bytes come back as sent, HEAD without them', async () => {
    const server = await startTestServer();
    try {
      const { token } = await verifiedTenant(env);
      // Just under 200 KiB: a body of ~273 KB, past the usual 64 KiB.
      let logo = png(226, 226, 'noise');
      while (logo.length > 200 * 1024) logo = png(220, 220, 'noise');
      const body = JSON.stringify({ branding: { logo: dataUrl('image/png', logo) } });
      expect(body.length).toBeGreaterThan(64 * 1024);
      const patched = await fetch(`${server.url}/v1/tenant`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      expect(patched.status, await patched.clone().text()).toBe(200);
      const { branding } = (await patched.json()) as { branding: { logoUrl: string } };
      const url = `${server.url}${branding.logoUrl}`;

      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(Buffer.from(await res.arrayBuffer()).equals(logo)).toBe(true);

      const head = await fetch(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('image/png');
      expect(head.headers.get('etag')).toBe(res.headers.get('etag'));
      expect((await head.arrayBuffer()).byteLength).toBe(0);

      // Other routes keep 64 KiB.
      const other = await fetch(`${server.url}/v1/branches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      expect(other.status).toBe(413);
    } finally {
      await server.close();
    }
  });
});
