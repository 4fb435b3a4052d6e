import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserTestbed, eventually, hasChromium } from '#tests/support/browser';
import { dataUrl, png } from '#tests/support/images';
import { screenshot } from '#tests/support/screenshots';

/**
 * The lobby kiosk and the organisation's branding in a real browser (Debian's Chromium via
 * playwright-core) against `npm start`: a kiosk-role session has nothing to click away and is
 * left only with its password; counts refresh after each ticket; queues in their display order
 * with descriptions; the customer's language and large text; SMS opt-in; the 80 mm print only
 * when the branch prints (never the word otherwise); the branding on kiosk, board and status
 * page, its text readable on the accent colour.
 */

/** A mid blue on which black reads better than white (5.7:1 against 3.7:1). */
const ACCENT = '#1E88E5';
const BRAND = 'City Clinic';
/** 80 mm in CSS pixels (96 per inch). */
const MM80 = (80 / 25.4) * 96;

const web = new BrowserTestbed('web-kiosk');
const { api, login, problems } = web;
let branchId: string;
let queues: Record<string, string>;

/** `window.print`, recorded instead of opening a dialog. */
function recordPrints() {
  const g = globalThis as any;
  g.printed = 0;
  g.print = () => {
    g.printed += 1;
  };
}

async function newPage(name: string): Promise<Page> {
  const page = await web.newPage(name, { locale: 'en-US' });
  await page.addInitScript(recordPrints);
  return page;
}

/** WCAG contrast of two computed `rgb(…)` colours, written here independently of core/. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = css
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map(Number) as [number, number, number];
    const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** The branding band of a page: its name, whether its logo drew, its colours. */
async function band(page: Page) {
  const el = page.getByTestId('brand-band');
  await el.waitFor();
  await eventually(() =>
    page.getByTestId('brand-logo').evaluate((img: any) => img.complete && img.naturalWidth > 0),
  ).toBe(true);
  return {
    name: await page.getByTestId('brand-name').textContent(),
    ...(await el.evaluate((node: any) => {
      const style = (globalThis as any).getComputedStyle(node);
      return { background: style.backgroundColor as string, color: style.color as string };
    })),
  };
}

async function expectBranded(page: Page) {
  const { name, background, color } = await band(page);
  expect(name).toBe(BRAND);
  expect(background).toBe('rgb(30, 136, 229)');
  expect(color).toBe('rgb(0, 0, 0)');
  expect(contrast(background, color)).toBeGreaterThanOrEqual(4.5);
}

const waitingText = (page: Page, prefix: string) => page.getByTestId(`kiosk-waiting-${prefix}`).textContent();

async function takeTicket(page: Page, queueName: string) {
  await page.getByRole('button', { name: `Take a ticket for ${queueName}` }).click();
  await page.getByTestId('ticket-code').waitFor();
  return (await page.getByTestId('ticket-code').textContent())!;
}

describe.skipIf(!hasChromium)('the lobby kiosk in Chromium against npm start', () => {
  beforeAll(async () => {
    await web.start();
    branchId = (await api<{ items: Array<{ id: string }> }>('GET', '/v1/branches')).items[0]!.id;
    queues = await web.queueIds(branchId);
    // Display order against the alphabet: General, Preferential, then Appointments (no place).
    await api('PATCH', `/v1/branches/${branchId}/queues/${queues.G}`, {
      displayOrder: 1,
      description: 'Any other request',
    });
    await api('PATCH', `/v1/branches/${branchId}/queues/${queues.P}`, { displayOrder: 2 });
    await api('PATCH', `/v1/branches/${branchId}/queues/${queues.C}`, { description: 'With an appointment' });
    await api('PATCH', '/v1/tenant', {
      branding: {
        displayName: BRAND,
        accentColor: ACCENT,
        logo: dataUrl('image/png', png(120, 40, [255, 255, 255, 255])),
      },
    });
    await web.addStaff(branchId, [
      ['kiosk1', 'kiosk'],
      ['screen1', 'display'],
    ]);
  }, 120_000);

  afterAll(web.stop);

  let kiosk: Page;

  it('a kiosk-role session: the kiosk alone, nothing to click away, queues in display order with descriptions, branded', async () => {
    kiosk = await newPage('kiosk');
    await login(kiosk, 'kiosk1', 'kiosk1-password');
    await eventually(() => kiosk.url()).toContain('#/kiosk');
    await kiosk.getByRole('button', { name: 'Take a ticket for General' }).waitFor();
    expect(await kiosk.title()).toBe('Take a ticket');
    // No header, navigation, sign-out or link of any kind.
    expect(await kiosk.locator('header.topbar, nav').count()).toBe(0);
    expect(await kiosk.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await kiosk.locator('body a, body [href], body [target], body form[action]').count()).toBe(0);
    // The other screens' routes lead back to the kiosk.
    await kiosk.goto(`${web.app}#/manage`);
    await eventually(() => kiosk.url()).toContain('#/kiosk');
    await kiosk.getByRole('button', { name: 'Take a ticket for General' }).waitFor();

    const names = await kiosk.locator('.kiosk-button .kiosk-name').allTextContents();
    expect(names).toEqual(['General', 'Preferential', 'Appointments']);
    expect(await kiosk.getByTestId('kiosk-queue-G').textContent()).toContain('Any other request');
    expect(await kiosk.getByTestId('kiosk-queue-C').textContent()).toContain('With an appointment');
    await expectBranded(kiosk);
    await screenshot(kiosk, 'lobby-home', true);
    expect(problems).toEqual([]);
  });

  it('the waiting counts refresh right after each ticket; without printTickets nothing prints or says so', async () => {
    expect(await waitingText(kiosk, 'G')).toBe('no wait');
    expect(await takeTicket(kiosk, 'General')).toBe('G-001');
    const hint = await kiosk.getByTestId('ticket-hint').textContent();
    expect(hint).toMatch(/Take a photo of your number or scan the QR code/);
    expect(await kiosk.locator('main').textContent()).not.toMatch(/print/i);
    expect(await kiosk.evaluate(() => (globalThis as any).printed)).toBe(0);
    await screenshot(kiosk, 'lobby-ticket', true);
    await kiosk.getByRole('button', { name: 'Done' }).click();
    await eventually(() => waitingText(kiosk, 'G')).toMatch(/^1 waiting · /);

    expect(await takeTicket(kiosk, 'General')).toBe('G-002');
    await kiosk.getByRole('button', { name: 'Done' }).click();
    await eventually(() => waitingText(kiosk, 'G')).toMatch(/^2 waiting · /);
    expect(problems).toEqual([]);
  });

  it('the customer’s language: Spanish on a switch, <html lang="es">, back to the branch’s for the next customer', async () => {
    await kiosk.locator('.brand-band select').selectOption('es');
    await kiosk.getByRole('heading', { name: 'Bienvenido a Main Branch' }).waitFor();
    expect(await kiosk.evaluate(() => (globalThis as any).document.documentElement.lang)).toBe('es');
    expect(await kiosk.getByRole('button', { name: 'Sacar turno para General' }).count()).toBe(1);
    expect(await waitingText(kiosk, 'G')).toMatch(/^2 en espera · /);
    await kiosk.getByRole('button', { name: 'Sacar turno para Appointments' }).click();
    await kiosk.getByRole('heading', { name: 'Su turno' }).waitFor();
    expect(await kiosk.getByTestId('ticket-hint').textContent()).toMatch(/Haga una foto de su número/);
    await kiosk.getByRole('button', { name: 'Hecho' }).click();
    await kiosk.getByRole('heading', { name: 'Welcome to Main Branch' }).waitFor();
    expect(await kiosk.evaluate(() => (globalThis as any).document.documentElement.lang)).toBe('en');
    expect(problems).toEqual([]);
  });

  it('large text makes the words larger, until the next customer', async () => {
    const size = () =>
      kiosk
        .locator('.kiosk-button .kiosk-name')
        .first()
        .evaluate((n: any) => Number.parseFloat((globalThis as any).getComputedStyle(n).fontSize));
    const metaSize = () =>
      kiosk
        .getByTestId('kiosk-waiting-G')
        .evaluate((n: any) => Number.parseFloat((globalThis as any).getComputedStyle(n).fontSize));
    const [before, metaBefore] = [await size(), await metaSize()];
    const toggle = kiosk.getByRole('button', { name: 'Large text' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await size()).toBeGreaterThan(before);
    await screenshot(kiosk, 'lobby-large-text', true);
    expect(await metaSize()).toBeGreaterThan(metaBefore * 1.3);
    await takeTicket(kiosk, 'General');
    await kiosk.getByRole('button', { name: 'Done' }).click();
    await kiosk.getByRole('button', { name: 'Take a ticket for General' }).waitFor();
    expect(await kiosk.getByRole('button', { name: 'Large text' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
  });

  it('a text message when the turn is near: the phone and notify: ["sms"] go with the ticket', async () => {
    const sent: unknown[] = [];
    kiosk.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith(`/v1/branches/${branchId}/tickets`))
        sent.push(r.postDataJSON());
    });
    await kiosk.getByLabel('Mobile number (optional)').fill('+34 600 123 456');
    expect(await kiosk.getByLabel('Text me when my turn is near').isChecked()).toBe(true);
    await takeTicket(kiosk, 'General');
    expect(sent).toEqual([{ queueId: queues.G, customer: { phone: '+34 600 123 456' }, notify: ['sms'] }]);
    await kiosk.getByText('We will send you a text message when your turn is near.').waitFor();
    // The number is not shown back on the lobby screen.
    expect(await kiosk.locator('main').textContent()).not.toContain('600 123 456');
    await kiosk.getByRole('button', { name: 'Done' }).click();
    expect(await kiosk.getByLabel('Mobile number (optional)').inputValue()).toBe('');

    // Nonsense, and a number without its country code (the server refuses it too), are refused
    // on the kiosk, before any ticket.
    for (const typed of ['call me maybe', '600 123 456']) {
      await kiosk.getByLabel('Mobile number (optional)').fill(typed);
      await kiosk.getByRole('button', { name: 'Take a ticket for General' }).click();
      await kiosk
        .getByRole('alert')
        .filter({ hasText: 'Enter the mobile number with its country code' })
        .waitFor();
    }
    expect(sent).toHaveLength(1);
    await kiosk.getByLabel('Mobile number (optional)').fill('');
  });

  it('with printTickets on: window.print() once per ticket, and the print stylesheet lays out an 80 mm ticket', async () => {
    await api('PATCH', `/v1/branches/${branchId}`, { printTickets: true });
    const printer = await newPage('kiosk-printer');
    await login(printer, 'kiosk1', 'kiosk1-password');
    const code = await takeTicket(printer, 'Preferential');
    expect(code).toBe('P-001');
    await eventually(() => printer.evaluate(() => (globalThis as any).printed)).toBe(1);
    expect(await printer.getByTestId('ticket-hint').textContent()).toMatch(/Your ticket is printing/);

    await printer.emulateMedia({ media: 'print' });
    await screenshot(printer, 'lobby-print', true);
    const layout = await printer.evaluate(() => {
      const doc = (globalThis as any).document;
      const box = (sel: string) => {
        const el = doc.querySelector(sel);
        const r = el?.getBoundingClientRect();
        return r ? { width: r.width, height: r.height, shown: r.width > 0 && r.height > 0 } : null;
      };
      return {
        ticket: box('.print-ticket'),
        code: box('.print-ticket .ticket-code'),
        qr: box('.print-ticket .qr'),
        band: box('.brand-band'),
        done: box('.print-ticket button'),
        staff: box('.kiosk-staff'),
        follow: box('.print-ticket .print-only'),
      };
    });
    expect(layout.ticket!.shown).toBe(true);
    expect(layout.ticket!.width).toBeLessThanOrEqual(MM80);
    expect(layout.ticket!.width).toBeGreaterThan(MM80 * 0.8);
    expect(layout.code!.shown).toBe(true);
    expect(layout.qr!.shown).toBe(true);
    expect(layout.qr!.width).toBeLessThanOrEqual(MM80);
    expect(layout.follow!.shown).toBe(true);
    for (const hidden of [layout.band, layout.done, layout.staff]) expect(hidden?.shown ?? false).toBe(false);
    await printer.emulateMedia({ media: 'screen' });
    expect((await printer.locator('.print-ticket .print-only').boundingBox()) ?? null).toBeNull();
    await printer.getByRole('button', { name: 'Done' }).click();
    await api('PATCH', `/v1/branches/${branchId}`, { printTickets: false });
    expect(problems).toEqual([]);
  });

  it('staff leave the kiosk with its password only; a wrong one keeps it', async () => {
    await kiosk.getByRole('button', { name: 'Staff' }).click();
    await screenshot(kiosk, 'lobby-staff', true);
    const password = kiosk.getByLabel('Password');
    await password.fill('not-the-password');
    await kiosk.getByRole('button', { name: 'Sign out of the kiosk' }).click();
    await kiosk.getByRole('alert').filter({ hasText: 'not the password' }).waitFor();
    expect(await kiosk.getByRole('button', { name: 'Take a ticket for General' }).count()).toBe(1);
    await password.fill('kiosk1-password');
    await kiosk.getByRole('button', { name: 'Sign out of the kiosk' }).click();
    await kiosk.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await kiosk.evaluate(() => Object.keys((globalThis as any).sessionStorage))).not.toContain(
      'queueline.refreshToken',
    );
    // The wrong try above was logged as a failed sign-in (the kiosk's password, like any other).
    expect(problems.filter((p) => !/401/.test(p))).toEqual([]);
    problems.length = 0;
  });

  it('the branding on the board and the status page, readable on the accent colour', async () => {
    const board = await newPage('board');
    await login(board, 'screen1', 'screen1-password');
    await eventually(() => board.url()).toContain('#/board');
    await expectBranded(board);
    await screenshot(board, 'lobby-board', true);

    const { ticket } = await api<{ ticket: { publicToken: string } }>(
      'POST',
      `/v1/branches/${branchId}/tickets`,
      {
        queueId: queues.G,
      },
    );
    const status = await newPage('status');
    await status.goto(`${web.app}#/t/${ticket.publicToken}`);
    await status.getByTestId('status-code').waitFor();
    await expectBranded(status);
    await screenshot(status, 'lobby-status', true);
    expect(problems).toEqual([]);
  });

  it('the admin edits the branding in Manage → Setup, with the contrast of its text', async () => {
    const admin = await newPage('admin');
    await login(admin, web.credentials.username, web.credentials.password);
    await admin.goto(`${web.app}#/manage/setup`);
    const card = admin.getByRole('region', { name: 'Branding' });
    await card.waitFor();
    const name = card.getByLabel('Name shown to customers');
    await eventually(() => name.inputValue()).toBe(BRAND);
    expect(await card.getByTestId('branding-contrast').textContent()).toMatch(/contrast \d+(\.\d)?:1/);
    await name.fill('City Clinic Lobby');
    await card.getByRole('button', { name: 'Save the branding' }).click();
    await card.getByRole('status').filter({ hasText: 'Branding saved.' }).waitFor();
    const settings = await api<{ branding: { displayName: string; accentColor: string; logoUrl: string } }>(
      'GET',
      '/v1/tenant',
    );
    expect(settings.branding).toMatchObject({ displayName: 'City Clinic Lobby', accentColor: ACCENT });
    expect(settings.branding.logoUrl).toMatch(/^\/v1\/public\/logos\//);
    await screenshot(admin, 'lobby-manage-branding', true);
    expect(problems).toEqual([]);
  });
});
