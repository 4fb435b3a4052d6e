import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announced,
  BrowserTestbed,
  CHROMIUM,
  eventually,
  hasChromium,
  recordAnnouncements,
  spoken,
} from '#tests/support/browser';
import { REPORT_CSV_HEADER } from '#tests/support/rules';
import { DESKTOP, LAPTOP, PHONE, screenshot } from '#tests/support/screenshots';

/**
 * The web app in a real browser (Debian's Chromium driven by playwright-core) against `npm start`
 * (tsx local/start.ts, which builds web/ when stale and serves it at /app/) on the test run's
 * DynamoDB Local with its own table and DATA_DIR: a branch day by clicking — a kiosk issues a
 * ticket, the board shows it, an agent calls it, the customer's status page shows "called" with
 * the counter, the manager sees it in today's report. Any console error or page error fails.
 *
 * Screenshots go to test-results/screenshots/, or to docs/screenshots/ with UPDATE_SCREENSHOTS=1
 * (`npm run screenshots`), so a plain `npm test` leaves the tracked images alone.
 */

const web = new BrowserTestbed('web');
const { api, login, problems } = web;
let branchId: string;

const state: { statusLink?: string; code?: string } = {};

/** In British English on Madrid time unless said otherwise; `allow`: the console errors this page expects. */
const newPage = (name: string, viewport = LAPTOP, allow: RegExp[] = [], timezoneId = 'Europe/Madrid') =>
  web.newPage(name, { viewport, allow, timezoneId, locale: 'en-GB' });

/** Every control on the page has an accessible name (label, aria-label(ledby), text or title). */
async function expectAccessibleNames(page: Page) {
  // Runs in the page; the tests' tsconfig has no DOM types, hence the `any`s.
  const unnamed = await page.evaluate(() => {
    const missing: string[] = [];
    const doc = (globalThis as any).document;
    for (const el of doc.querySelectorAll('button, a[href], input, select, textarea') as any[]) {
      const labels: any[] = [...(el.labels ?? [])];
      const named =
        el.getAttribute('aria-label')?.trim() ||
        el.getAttribute('aria-labelledby') ||
        labels.some((l) => l.textContent?.trim()) ||
        el.textContent?.trim() ||
        el.getAttribute('title');
      if (!named) missing.push(el.outerHTML.slice(0, 120));
    }
    return missing;
  });
  expect(unnamed).toEqual([]);
}

function expectNoProblems() {
  expect(problems).toEqual([]);
}

describe.runIf(!hasChromium && process.env.CI)('web app in Chromium (CI)', () => {
  it('has Chromium to run in: .ci/run installs it', () => {
    expect.fail(`no Chromium at ${CHROMIUM}: CI must run the browser tests`);
  });
});

describe.skipIf(!hasChromium)('web app in Chromium against npm start', () => {
  beforeAll(async () => {
    await web.start();
    const branches = await api<{ items: Array<{ id: string; name: string }> }>('GET', '/v1/branches');
    branchId = branches.items.find((b) => b.name === 'Main Branch')!.id;
    await web.addStaff(branchId, [
      ['kiosk1', 'kiosk'],
      ['agent1', 'agent'],
      ['manager1', 'manager'],
    ]);
  }, 120_000);

  afterAll(web.stop);

  it('npm start builds the app, prints its URL and serves it at /app/', async () => {
    expect(web.server.output()).toMatch(
      new RegExp(`App\\s+${web.base.replace('127.0.0.1', '(localhost|127\\.0\\.0\\.1)')}/app/`),
    );
    const res = await fetch(web.app);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    // Served with a CSP without inline script, no framing, no referrer (status links carry tokens).
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const a = await fetch(`${web.app}${asset}`);
      expect(a.status, asset).toBe(200);
      expect(a.headers.get('cache-control')).toContain('immutable');
    }
    expect((await fetch(`${web.base}/app`, { redirect: 'manual' })).headers.get('location')).toBe('/app/');
    expect((await fetch(`${web.app}../../etc/passwd`)).status).toBe(404); // fetch normalises: an API 404
    expect((await fetch(`${web.app}%2e%2e/package.json`)).status).toBe(404);
    // The API is untouched.
    expect((await fetch(`${web.base}/health`)).status).toBe(200);
  });

  it('the CSP is enforced: an injected inline script does not run, and its violation is seen', async () => {
    const seen: string[] = [];
    const page = await newPage('csp', LAPTOP, [/CSP violation|Content Security Policy/]);
    page.on('console', (message) => seen.push(message.text()));
    await page.goto(`${web.app}#/login`);
    await page.getByLabel('Organisation').waitFor();
    const ran = await page.evaluate(async () => {
      const doc = (globalThis as any).document;
      const script = doc.createElement('script');
      script.textContent = 'globalThis.inlineRan = true';
      doc.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (globalThis as any).inlineRan === true;
    });
    expect(ran).toBe(false);
    await eventually(() => seen.some((text) => /CSP violation: script-src/.test(text))).toBe(true);
    // Framing is refused too (frame-ancestors 'none').
    const framed = await newPage('framed', LAPTOP, [/frame-ancestors|Refused to (display|frame)/]);
    await framed.setContent(`<iframe src="${web.app}" title="app"></iframe>`);
    await framed.waitForTimeout(500);
    const inner = framed.frames().find((frame) => frame !== framed.mainFrame());
    expect(
      await inner
        ?.locator('#root')
        .count()
        .catch(() => 0),
    ).toBe(0);
    expectNoProblems();
  });

  it('the admin signs in, lands on the dashboard and adds a display user in Setup', async () => {
    const page = await newPage('admin');
    await login(page, 'admin', web.credentials.password);
    await eventually(() => page.url()).toContain('#/manage');
    await page.getByRole('link', { name: 'Setup' }).click();
    const users = page.getByRole('region', { name: 'Users' });
    await users.getByRole('button', { name: 'Add user' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Username').fill('lobby-screen');
    await form.getByLabel('Full name').fill('Lobby screen');
    await form.getByLabel('Role').selectOption({ label: 'Display' });
    await form.getByLabel('Password (10+ characters)').fill('display-password');
    await form.getByRole('button', { name: 'Add user' }).click();
    await eventually(() => users.getByRole('cell', { name: 'lobby-screen', exact: true }).count()).toBe(1);
    await eventually(() => page.getByRole('status').filter({ hasText: 'User added.' }).count()).toBe(1);
    await expectAccessibleNames(page);
    await screenshot(page, 'manage-setup', true);
    expectNoProblems();
  });

  let board: Page;

  it('a kiosk issues a ticket: code, position, wait and a QR code of the status page', async () => {
    const phone = await newPage('kiosk-phone', PHONE);
    await login(phone, 'kiosk1', 'kiosk1-password');
    await phone.getByRole('button', { name: 'Take a ticket for General' }).waitFor();
    await screenshot(phone, 'kiosk-phone');

    const page = await newPage('kiosk', DESKTOP);
    await login(page, 'kiosk1', 'kiosk1-password');
    await eventually(() => page.url()).toContain('#/kiosk');
    const general = page.getByRole('button', { name: 'Take a ticket for General' });
    await general.waitFor();
    await expectAccessibleNames(page);
    await screenshot(page, 'kiosk-desktop');
    // Tokens: the access token only in memory, the refresh token in sessionStorage, none in localStorage.
    const storage = await page.evaluate(() => ({
      session: Object.keys((globalThis as any).sessionStorage),
      local: Object.values((globalThis as any).localStorage).join(' '),
    }));
    expect(storage.session).toEqual(['queueline.refreshToken']);
    expect(storage.local).not.toMatch(/eyJ|[A-Za-z0-9_-]{40,}/);

    await general.click();
    await eventually(() => page.getByTestId('ticket-code').textContent()).toBe('G-001');
    expect(await page.getByTestId('ticket-position').textContent()).toMatch(/^1/);
    expect(await page.getByTestId('ticket-wait').textContent()).toBe('you are next');
    const qr = page.getByRole('img', { name: /QR code: follow ticket G-001/ });
    expect(await qr.count()).toBe(1);
    // The kiosk links nowhere (a lobby screen): the status page's address is in the QR code.
    state.statusLink = (await qr.getAttribute('data-value'))!;
    expect(state.statusLink).toMatch(new RegExp(`^${web.app.replace(/[.]/g, '\\.')}#/t/[A-Za-z0-9_-]{64}$`));
    await screenshot(page, 'kiosk-ticket-desktop');

    await phone.getByRole('button', { name: 'Take a ticket for Appointments' }).click();
    await eventually(() => phone.getByTestId('ticket-code').textContent()).toBe('C-001');
    await screenshot(phone, 'kiosk-ticket-phone');
    // Done resets the kiosk for the next customer.
    await phone.getByRole('button', { name: 'Done' }).click();
    await phone.getByRole('button', { name: 'Take a ticket for General' }).waitFor();
    expectNoProblems();
  });

  it('the display board shows the waiting ticket', async () => {
    // The display's own clock in another zone than the branch's: the board shows the branch's time.
    board = await newPage('board', DESKTOP, [], 'Pacific/Auckland');
    await board.addInitScript(recordAnnouncements);
    await login(board, 'lobby-screen', 'display-password');
    await eventually(() => board.url()).toContain('#/board');
    const general = board.getByTestId('board-queue-G');
    await eventually(() => general.textContent()).toContain('Next: G-001');
    expect(await general.locator('.count').textContent()).toBe('1');
    await expectAccessibleNames(board);
    expectNoProblems();
  });

  it('the board fills a 1080p screen: branch name, a clock in its time zone, sound and full-screen controls', async () => {
    const layout = await board.evaluate(() => {
      const doc = (globalThis as any).document;
      const r = doc.querySelector('main.board').getBoundingClientRect();
      return {
        board: [r.left, r.top, r.width, r.height],
        viewport: [(globalThis as any).innerWidth, (globalThis as any).innerHeight],
        scrolls: doc.documentElement.scrollHeight > (globalThis as any).innerHeight,
      };
    });
    expect(layout.board).toEqual([0, 0, DESKTOP.width, DESKTOP.height]);
    expect(layout.viewport).toEqual([DESKTOP.width, DESKTOP.height]);
    expect(layout.scrolls).toBe(false);
    expect(await board.getByRole('heading', { level: 1 }).textContent()).toBe('Main Branch');
    // The branch's clock (Europe/Madrid), not the display's (Pacific/Auckland).
    const branch = await api<{ timezone: string }>('GET', `/v1/branches/${branchId}`);
    const clock = board.locator('.board-clock time');
    const expected = new Intl.DateTimeFormat('en', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: branch.timezone,
    });
    await eventually(async () => [
      expected.format(Date.now() - 60_000),
      expected.format(Date.now()),
    ]).toContain(await clock.textContent());
    expect(await board.getByText(/Business day/).count()).toBe(0);

    const mute = board.getByRole('button', { name: 'Mute', exact: true });
    expect(await mute.isVisible()).toBe(true);
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    const full = board.getByRole('button', { name: 'Full screen', exact: true });
    expect(await full.isVisible()).toBe(true);
    // An SVG icon, not a symbol glyph that Debian's fonts lack.
    expect(await full.locator('svg[aria-hidden="true"]').count()).toBe(1);
    expect(await full.textContent()).not.toMatch(/[^\x20-\x7e]/);
    // Nothing was called yet: nothing said.
    expect(await announced(board)).toEqual([]);
    expectNoProblems();
  });

  let agent: Page;

  it('an agent calls it (keyboard only) and the board shows it at the counter', async () => {
    const page = await newPage('agent', LAPTOP);
    agent = page;
    await login(page, 'agent1', 'agent1-password');
    await eventually(() => page.url()).toContain('#/agent');
    await page.getByLabel('Counter').selectOption({ label: 'Counter 3' });
    const call = page.getByRole('button', { name: 'Call next' });
    await eventually(() => call.isEnabled()).toBe(true); // once the counter's current ticket is known
    await call.focus();
    await page.keyboard.press('Enter');
    await eventually(() => page.getByTestId('agent-current').textContent()).toContain('G-001');
    expect(await page.getByTestId('agent-current').textContent()).toContain('Called');
    await eventually(() => page.getByTestId('agent-waiting-G').textContent()).toBe('0');
    expect(await page.getByRole('button', { name: 'Start' }).isEnabled()).toBe(true);
    await expectAccessibleNames(page);
    await screenshot(page, 'agent');

    const row = board.getByTestId('board-counter-Counter 3');
    await eventually(() => row.textContent()).toContain('G-001');
    await eventually(() => board.getByRole('region', { name: 'Recently called' }).textContent()).toContain(
      'G-001',
    );
    // Read from 5 m: the code under "now serving" is at least 10 % of the screen's height.
    const codeHeight = await row.locator('.code').evaluate((el: any) => el.getBoundingClientRect().height);
    expect(codeHeight).toBeGreaterThanOrEqual(DESKTOP.height * 0.1);
    // Said out loud, after a chime: the code letter by letter, and the counter.
    await eventually(() => spoken(board)).toEqual(['Ticket G 1, please go to Counter 3']);
    const said = await announced(board);
    expect(said.findIndex((a) => a.kind === 'tone')).toBe(0);
    expect(said.at(-1)).toEqual({ kind: 'speech', text: 'Ticket G 1, please go to Counter 3', lang: 'en' });
    await screenshot(board, 'board');
    expectNoProblems();
  });

  it('the board says a recall again, keeps quiet when muted (remembered), and never repeats old calls', async () => {
    const recalled = board
      .getByRole('region', { name: 'Recently called' })
      .locator('li', { hasText: 'G-001' });
    await agent.getByRole('button', { name: 'Recall' }).click();
    await eventually(() => recalled.count()).toBe(2);
    await eventually(() => spoken(board)).toEqual([
      'Ticket G 1, please go to Counter 3',
      'Ticket G 1, please go to Counter 3',
    ]);

    const mute = board.getByRole('button', { name: 'Mute', exact: true });
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    await agent.getByRole('button', { name: 'Recall' }).click();
    await eventually(() => recalled.count()).toBe(3);
    await board.waitForTimeout(1_500); // longer than the chime before a call is said
    expect(await spoken(board)).toHaveLength(2);

    // A reload keeps the mute; unmuted, the calls already on the board are not said again.
    await board.reload();
    await eventually(() => recalled.count()).toBe(3);
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    await board.waitForTimeout(1_500);
    expect(await announced(board)).toEqual([]);

    // The full-screen control works (and then offers the way back).
    await board.getByRole('button', { name: 'Full screen', exact: true }).click();
    await eventually(() =>
      board.evaluate(() => (globalThis as any).document.fullscreenElement !== null),
    ).toBe(true);
    await board.getByRole('button', { name: 'Exit full screen' }).click();
    await eventually(() => board.evaluate(() => (globalThis as any).document.fullscreenElement)).toBe(null);
    await expectAccessibleNames(board);
    expectNoProblems();
  });

  it('the status page shows "called" with the counter, on a phone and a desktop', async () => {
    const phone = await newPage('status-phone', PHONE);
    await phone.goto(state.statusLink!);
    await eventually(() => phone.getByTestId('status-text').textContent()).toBe('Called');
    expect(await phone.getByTestId('status-counter').textContent()).toBe('Please go to Counter 3');
    expect(await phone.title()).toBe('Your turn: Counter 3');
    await expectAccessibleNames(phone);
    await screenshot(phone, 'status-phone');
    const desktop = await newPage('status-desktop', LAPTOP);
    await desktop.goto(state.statusLink!);
    await eventually(() => desktop.getByTestId('status-text').textContent()).toBe('Called');
    await screenshot(desktop, 'status-desktop');
    expectNoProblems();
  });

  it('a waiting customer cancels from the status page', async () => {
    const issued = await api<{ ticket: { publicToken: string; code: string } }>(
      'POST',
      `/v1/branches/${branchId}/tickets`,
      { queueId: (await web.queueIds(branchId)).P },
    );
    const page = await newPage('status-cancel', PHONE);
    await page.goto(`${web.app}#/t/${issued.ticket.publicToken}`);
    await eventually(() => page.getByTestId('status-text').textContent()).toBe('Waiting');
    expect(await page.getByTestId('status-position').textContent()).toBe('1');
    await screenshot(page, 'status-waiting-phone');
    await page.getByRole('button', { name: 'Cancel my ticket' }).click();
    await page.getByRole('button', { name: 'Yes, cancel my ticket' }).click();
    await eventually(() => page.getByTestId('status-text').textContent()).toBe('Cancelled');
    expectNoProblems();
  });

  it("the manager sees the ticket in today's report, with charts and a CSV download", async () => {
    const page = await newPage('manager', DESKTOP);
    await login(page, 'manager1', 'manager1-password');
    await eventually(() => page.url()).toContain('#/manage');
    await page.getByRole('region', { name: 'Counters now' }).getByText('G-001').waitFor();
    await expectAccessibleNames(page);
    await screenshot(page, 'manage-today');

    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('button', { name: 'Today' }).click();
    // Issued today: G-001 (called), C-001 (waiting), P-001 (cancelled).
    await eventually(() => page.getByTestId('report-issued').textContent()).toBe('3');
    expect(await page.getByTestId('report-cancelled').textContent()).toBe('1');
    expect(await page.getByTestId('report-withinTarget').textContent()).toBe('100 %');
    expect(await page.getByRole('img', { name: /Wait and service time per queue/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /Service level per day/ }).count()).toBe(1);
    await page.getByLabel('Group by').selectOption('queue');
    await eventually(() => page.getByRole('rowheader', { name: 'General' }).count()).toBe(1);
    await expectAccessibleNames(page);
    await screenshot(page, 'manage-report', true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^report-main-branch-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-queue\.csv$/,
    );
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe(REPORT_CSV_HEADER);
    expect(csv).toMatch(/\ntotal,/);
    expectNoProblems();
  });

  it('the link of a signup mail confirms the email address', async () => {
    await api('POST', '/v1/signup', {
      organization: { name: 'Web Test Clinic', slug: `web-${Date.now().toString(36)}` },
      admin: { username: 'owner', email: 'owner@example.com', password: 'owner-password', fullName: 'Owner' },
    });
    const outbox = join(web.server.dataDir, 'outbox');
    const mail = JSON.parse(readFileSync(join(outbox, readdirSync(outbox)[0]!), 'utf8')) as { text: string };
    const link = /https?:\/\/\S+verify-email\?token=[^\s]+/.exec(mail.text)![0];
    // npm start's default APP_URL is the app on this server (the path form: any /app/… is the app).
    expect(link.startsWith(`${web.app}verify-email?token=`)).toBe(true);
    const page = await newPage('verify', PHONE);
    await page.goto(link);
    await eventually(() => page.getByRole('status').textContent()).toBe(
      'Your email address is confirmed. You can sign in now.',
    );
    await screenshot(page, 'verify-email');
    // An APP_URL of the server's root (the handlers' own fallback) works too: /verify-email redirects.
    const redirect = await fetch(`${web.base}/verify-email?token=abc`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/app/#/verify-email?token=abc');
    expectNoProblems();
  });

  it('a forgotten password is reset through the link of the mail', async () => {
    const email = 'forgetful@example.com';
    await api('POST', '/v1/users', {
      username: 'forgetful',
      password: 'old-password-1',
      fullName: 'Fay Forgetful',
      roleId: 'agent',
      email,
      branchIds: [branchId],
    });
    const page = await newPage('reset', PHONE);
    await page.goto(`${web.app}#/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel('Organisation').fill('demo');
    await page.getByLabel('Username').fill('forgetful');
    await page.getByRole('button', { name: 'Send the link' }).click();
    // The same words whether the account exists or not.
    await eventually(() => page.getByRole('status').textContent()).toContain(
      'If this account exists and has an email address, we sent it a link',
    );
    await expectAccessibleNames(page);
    await screenshot(page, 'forgot-password');

    const outbox = join(web.server.dataDir, 'outbox');
    const mail = readdirSync(outbox)
      .map((file) => JSON.parse(readFileSync(join(outbox, file), 'utf8')) as { to: string; text: string })
      .find((m) => m.to === email)!;
    const link = /https?:\/\/\S+#\/reset-password\?token=\S+/.exec(mail.text)![0];
    // npm start's APP_URL: the app on this server, with the page as a hash route.
    expect(link.startsWith(`${web.app}#/reset-password?token=`)).toBe(true);
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('new-password-22');
    await page.getByLabel('Repeat the new password').fill('new-password-2');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toBe('The two passwords differ.');
    await page.getByLabel('Repeat the new password').fill('new-password-22');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await eventually(() => page.getByRole('status').textContent()).toContain('Your password is changed');
    await expectAccessibleNames(page);
    await screenshot(page, 'reset-password');

    await page.getByRole('link', { name: 'Go to sign in' }).click();
    await login(page, 'forgetful', 'new-password-22');
    await eventually(() => page.url()).toContain('#/agent');
    expectNoProblems();
  });

  it('a wrong password shows the problem, and every role screen works with the keyboard alone', async () => {
    // The browser logs the 401 of the failed sign-in itself: that one is expected.
    const page = await newPage('bad-login', PHONE, [/status of 401/]);
    await login(page, 'agent1', 'not-the-password');
    await eventually(() => page.getByRole('alert').textContent()).toContain(
      'Wrong organisation, username or password.',
    );
    await screenshot(page, 'login-error-phone');
    // Sign in with the keyboard only: Tab through the form, Enter submits.
    await page.getByLabel('Password').fill('');
    await page.getByLabel('Organisation').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('agent1-password');
    await page.keyboard.press('Enter');
    await eventually(() => page.url()).toContain('#/agent');
    expectNoProblems();
  });

  // How fast is measured by `npm run bench` (section live); here only that push alone brings it.
  it("with polling off, an agent's call reaches the board, the status page and the manager's today by push alone, five times in a row, and is said", async () => {
    // Screens get news by push alone: the test-only switch stops their polling before the app loads.
    const pushOnly = async (name: string, viewport = DESKTOP) => {
      const page = await newPage(name, viewport);
      await page.addInitScript(() => (globalThis as any).localStorage.setItem('queueline.polling', 'off'));
      return page;
    };
    const liveBoard = await pushOnly('live-board');
    await liveBoard.addInitScript(recordAnnouncements);
    await login(liveBoard, 'lobby-screen', 'display-password');
    await liveBoard.getByTestId('board-queue-G').waitFor();
    const manager = await pushOnly('live-manager');
    await login(manager, 'manager1', 'manager1-password');
    const today = manager.getByRole('region', { name: 'Counters now' });
    await today.waitFor();
    const status = await pushOnly('live-status', PHONE);
    // Reads of the board or a status after the screens opened: with polling off, there are none.
    const polls: string[] = [];
    for (const page of [liveBoard, manager, status])
      page.on('request', (r) => {
        if (/\/board$|\/v1\/public\/tickets\//.test(r.url()) && r.method() === 'GET') polls.push(r.url());
      });

    const agentToken = await web.tokenOf('agent1', 'agent1-password');
    const counterId = (await web.counterIds(branchId))['Counter 1'];
    const generalId = (await web.queueIds(branchId)).G;

    const latencies: number[] = [];
    for (let round = 0; round < 5; round++) {
      const { ticket } = await api<{ ticket: { id: string; code: string; publicToken: string } }>(
        'POST',
        `/v1/branches/${branchId}/tickets`,
        { queueId: generalId },
      );
      await status.goto(`${web.app}#/t/${ticket.publicToken}`);
      await eventually(() => status.getByTestId('status-text').textContent()).toBe('Waiting');
      await liveBoard.waitForTimeout(200); // the page's channel is open (it got the status by push)

      const started = Date.now();
      await api('POST', `/v1/branches/${branchId}/counters/${counterId}/call-next`, {}, agentToken);
      const within = { timeout: 10_000 };
      await Promise.all([
        liveBoard.getByTestId('board-counter-Counter 1').filter({ hasText: ticket.code }).waitFor(within),
        status
          .getByTestId('status-text')
          .filter({ hasText: /^Called$/ })
          .waitFor(within),
        today
          .getByRole('row')
          .filter({ hasText: 'Counter 1' })
          .filter({ hasText: ticket.code })
          .waitFor(within),
      ]);
      latencies.push(Date.now() - started);
      const number = Number(ticket.code.split('-')[1]);
      await eventually(() => spoken(liveBoard)).toContain(`Ticket G ${number}, please go to Counter 1`);
      await api('POST', `/v1/branches/${branchId}/tickets/${ticket.id}/no-show`, {}, agentToken);
    }
    console.log(`commit → three screens (ms): ${latencies.join(', ')}`);
    expect(await spoken(liveBoard)).toHaveLength(5);
    // Status pages were loaded by push too: the only status reads are none at all.
    expect(polls).toEqual([]);
    expectNoProblems();
  });
});
