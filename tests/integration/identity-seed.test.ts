import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '#local/seed';
import { createTestEnv } from '#tests/support/env';
import { login } from '#tests/support/identity-fixtures';

const dataDir = () => mkdtempSync(join(tmpdir(), 'queueline-seed-'));

describe('demo seed', () => {
  it('creates the demo tenant once, verified, and saves the credentials readable by the owner only', async () => {
    await createTestEnv();
    const dir = dataDir();
    const credentials = await seedDemo({ dataDir: dir, password: 'demo password 123' });
    expect(credentials).toEqual({ tenant: 'demo', username: 'admin', password: 'demo password 123' });
    const file = join(dir, 'demo-credentials.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(credentials);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const res = await login('demo', 'admin', 'demo password 123');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'admin', roleId: 'admin', branchIds: null });

    // A second start keeps the tenant and answers the saved credentials.
    expect(await seedDemo({ dataDir: dir, password: 'another password' })).toEqual(credentials);
    expect((await login('demo', 'admin', 'another password')).status).toBe(401);
  });

  it('makes up a long random password when none is given', async () => {
    await createTestEnv();
    const dir = dataDir();
    const { password } = await seedDemo({ dataDir: dir });
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect((await login('demo', 'admin', password)).status).toBe(200);
  });

  it('refuses a demo password the API itself would refuse', async () => {
    await createTestEnv();
    await expect(seedDemo({ dataDir: dataDir(), password: 'short' })).rejects.toThrow(/10-128/);
  });
});
