import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '#core/domain/password';
import { provisionTenant } from '#core/usecases/identity/provision-tenant';
import { tenantContext } from '#functions/commons/context';
import { seedDemoSetup } from './seed-setup';

export interface DemoCredentials {
  tenant: string;
  username: string;
  password: string;
}

const TENANT = 'demo';
const USERNAME = 'admin';

/**
 * The demo tenant (docs/rules.md#running-it), created once: verified (no mail), admin `admin`
 * with the given or a random password, saved to $DATA_DIR/demo-credentials.json (mode 600). Later
 * starts find the tenant and return the saved credentials.
 */
export async function seedDemo({ dataDir, password }: { dataDir: string; password?: string }) {
  const file = join(dataDir, 'demo-credentials.json');
  const now = new Date();
  const ctx = tenantContext({ now });
  if (await ctx.tenants.findBySlug(TENANT, now)) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
    return {
      tenant: TENANT,
      username: USERNAME,
      password: password ?? '(unknown: seeded with another DATA_DIR)',
    };
  }
  const adminPassword = password ?? randomBytes(18).toString('base64url');
  if (adminPassword.length < PASSWORD_MIN_LENGTH || adminPassword.length > PASSWORD_MAX_LENGTH) {
    throw new Error(
      `DEMO_ADMIN_PASSWORD must be ${PASSWORD_MIN_LENGTH}-${PASSWORD_MAX_LENGTH} characters long`,
    );
  }
  const { tenant, user } = await provisionTenant(ctx, {
    organization: { name: 'Demo Organisation', slug: TENANT },
    admin: {
      username: USERNAME,
      email: 'admin@demo.invalid',
      password: adminPassword,
      fullName: 'Demo Admin',
    },
    verified: true,
  });
  const credentials: DemoCredentials = { tenant: TENANT, username: USERNAME, password: adminPassword };
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // mode only applies to new files; an old one may linger from another table
  await seedDemoSetup({ tenantId: tenant.id, adminUserId: user.id, now });
  return credentials;
}
