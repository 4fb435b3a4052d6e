import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStart, startLocal } from '#tests/support/local-start';

/**
 * The status page's "Erase my contact details" in a real browser (Debian's Chromium driven by
 * playwright-core) against `npm start`: the customer asks, confirms (or changes their mind), sees
 * that it is done, and the staff then see the ticket without a customer — still waiting in its
 * place. Any console error or page error fails.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const PHONE = { width: 390, height: 844 };

let server: LocalStart | undefined;
let browser: Browser;
let base: string;
let adminToken: string;
const problems: string[] = [];

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

describe.skipIf(!hasChromium)('the status page erases the contact details, in Chromium', () => {
  beforeAll(async () => {
    server = await startLocal('web-contact', { env: { HOST: '127.0.0.1' }, timeoutMs: 100_000 });
    base = server.base;
    const credentials = JSON.parse(readFileSync(join(server.dataDir, 'demo-credentials.json'), 'utf8'));
    adminToken = (await api<{ accessToken: string }>('POST', '/v1/auth/login', credentials)).accessToken;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    server?.kill();
  });

  it('asks first, erases at once, says so; the ticket keeps its place without a customer', async () => {
    const branches = await api<{ items: Array<{ id: string; name: string }> }>('GET', '/v1/branches');
    const branchId = branches.items.find((b) => b.name === 'Main Branch')!.id;
    const queues = await api<{ items: Array<{ id: string; prefix: string }> }>(
      'GET',
      `/v1/branches/${branchId}/queues`,
    );
    const customer = { name: 'Lucía Pérez', phone: '+34600111222', email: 'lucia@example.org' };
    const { ticket } = await api<{ ticket: { id: string; publicToken: string } }>(
      'POST',
      `/v1/branches/${branchId}/tickets`,
      { queueId: queues.items.find((q) => q.prefix === 'G')!.id, customer },
    );

    const context = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      locale: 'en-GB',
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.setDefaultTimeout(15_000);
    await page.goto(`${base}/app/#/t/${ticket.publicToken}`);
    await expect
      .poll(() => page.getByTestId('status-text').textContent(), { timeout: 15_000 })
      .toBe('Waiting');

    // Changing one's mind keeps everything.
    await page.getByRole('button', { name: 'Erase my contact details' }).click();
    await page.getByText('You keep your place, but we can no longer notify you.').waitFor();
    await page.getByRole('button', { name: 'No, keep them' }).click();
    const kept = await api<{ ticket: { customer: unknown } }>(
      'GET',
      `/v1/branches/${branchId}/tickets/${ticket.id}`,
    );
    expect(kept.ticket.customer).toEqual(customer);

    await page.getByRole('button', { name: 'Erase my contact details' }).click();
    await page.getByRole('button', { name: 'Yes, erase them' }).click();
    await expect
      .poll(() => page.getByTestId('contact-erased').textContent(), { timeout: 15_000 })
      .toBe('Your contact details have been erased.');
    expect(await page.getByRole('button', { name: 'Erase my contact details' }).count()).toBe(0);
    expect(await page.getByTestId('status-text').textContent()).toBe('Waiting');

    const after = await api<{ ticket: { customer: unknown; status: string }; position: number }>(
      'GET',
      `/v1/branches/${branchId}/tickets/${ticket.id}`,
    );
    expect(after.ticket).toMatchObject({ customer: null, status: 'waiting' });
    await context.close();
    expect(problems).toEqual([]);
  });
});
