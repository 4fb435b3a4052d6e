import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserTestbed, hasChromium } from '#tests/support/browser';
import { PHONE } from '#tests/support/screenshots';

/**
 * The status page's "Get a message when your turn is near" in a real browser (Debian's Chromium
 * driven by playwright-core) against `npm start`: the SMS / email sign-up form, its refusals and
 * its effect through the API and the outbox; the service worker that shows a web push message.
 * Any console error or page error fails.
 */

const web = new BrowserTestbed('web-notify');
const { api, problems } = web;
let branchId: string;
let queueId: string;

/** The customers' messages `npm start` wrote to its outbox. */
function outbox(): Array<{ channel: string; to: string; event: string; ticketCode: string; text: string }> {
  const dir = join(web.server.dataDir, 'outbox');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter((m) => typeof m.channel === 'string');
}

async function newTicket() {
  const { ticket } = await api<{ ticket: { id: string; code: string; publicToken: string } }>(
    'POST',
    `/v1/branches/${branchId}/tickets`,
    { queueId },
  );
  return ticket;
}

async function statusPage(token: string, permissions: string[] = []) {
  const page = await web.newPage('status', { viewport: PHONE, locale: 'en-GB', permissions });
  await page.goto(`${web.app}#/t/${token}`);
  await expect.poll(() => page.getByTestId('status-text').textContent(), { timeout: 15_000 }).toBe('Waiting');
  return { context: page.context(), page };
}

describe.skipIf(!hasChromium)('the status page signs up for messages, in Chromium', () => {
  beforeAll(async () => {
    await web.start();
    const branches = await api<{ items: Array<{ id: string; name: string }> }>('GET', '/v1/branches');
    branchId = branches.items.find((b) => b.name === 'Main Branch')!.id;
    queueId = (await web.queueIds(branchId)).G!;
  }, 120_000);

  afterAll(web.stop);

  it('SMS and email: asks for one, shows the server’s refusal, signs up, and the near messages go out', async () => {
    const ticket = await newTicket();
    const { context, page } = await statusPage(ticket.publicToken);
    await page.getByRole('heading', { name: 'Get a message when your turn is near' }).waitFor();

    // Nothing given: said at once, nothing sent.
    await page.getByRole('button', { name: 'Send me messages' }).click();
    await page.getByText('Give a phone number or an email address.').waitFor();

    // A national number: the server's 400, shown, and nothing changed.
    await page.getByLabel('Mobile phone for SMS').fill('600 11 22 33');
    await page.getByRole('button', { name: 'Send me messages' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid request' }).waitFor();
    // The browser logs the refused request itself: that one is expected.
    const refused = problems.findIndex((p) => p.includes('status of 400'));
    expect(refused).toBeGreaterThanOrEqual(0);
    problems.splice(refused, 1);
    const before = await api<{ ticket: { customer: unknown } }>(
      'GET',
      `/v1/branches/${branchId}/tickets/${ticket.id}`,
    );
    expect(before.ticket.customer).toBeNull();

    await page.getByLabel('Mobile phone for SMS').fill('+34 600 11 22 33');
    await page.getByLabel('Email').fill('lucia@example.org');
    await page.getByRole('button', { name: 'Send me messages' }).click();
    await expect
      .poll(() => page.getByTestId('notify-done').textContent(), { timeout: 15_000 })
      .toBe('Done: we will send you a message when your turn is near and when you are called.');
    const after = await api<{ ticket: { customer: unknown } }>(
      'GET',
      `/v1/branches/${branchId}/tickets/${ticket.id}`,
    );
    expect(after.ticket.customer).toEqual({ phone: '+34 600 11 22 33', email: 'lucia@example.org' });

    // First in line: near by SMS and by email, once each.
    await expect
      .poll(
        () =>
          outbox()
            .filter((m) => m.ticketCode === ticket.code)
            .map((m) => `${m.event} ${m.channel} ${m.to}`)
            .sort(),
        { timeout: 20_000 },
      )
      .toEqual(['near email lucia@example.org', 'near sms +34600112233']);

    // Once the ticket has ended, the page offers nothing to sign up for.
    await api('POST', `/v1/branches/${branchId}/tickets/${ticket.id}/cancel`);
    await expect.poll(() => page.getByTestId('status-notify').count(), { timeout: 15_000 }).toBe(0);
    await context.close();
    expect(problems).toEqual([]);
  });

  it('web push: the service worker is registered from the page and shows what the server pushes', async () => {
    const ticket = await newTicket();
    const { context, page } = await statusPage(ticket.publicToken, ['notifications']);
    const notifyMe = page.getByRole('button', { name: 'Notify me on this device' });
    await notifyMe.waitFor();
    await notifyMe.click();
    // A test browser has no push service to subscribe with (a Playwright context is incognito,
    // where Chrome refuses the Push API; a profile on disk waits for Google's push service, which
    // this machine cannot reach): the page shows the browser's refusal — never a crash — or, given
    // a push service, says the device will be notified.
    const outcome = await Promise.race([
      page
        .getByTestId('push-on')
        .waitFor()
        .then(() => 'on'),
      page
        .getByTestId('push-failed')
        .waitFor()
        .then(() => 'refused'),
    ]);
    if (outcome === 'refused') {
      expect(await page.getByTestId('push-failed').textContent()).toBe(
        'This browser cannot receive notifications here. Use SMS or email below.',
      );
      // Chrome logs its refusal too: that one is expected.
      const refusal = problems.findIndex((p) => p.includes('Push API'));
      if (refusal >= 0) problems.splice(refusal, 1);
    }

    // The service worker the button registered shows a push message as a notification.
    const scope = await page.evaluate(
      async () => (await (globalThis as any).navigator.serviceWorker.ready).scope,
    );
    expect(scope).toBe(`${web.app}`);
    const cdp = await context.newCDPSession(page);
    const registered = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const found = registrations.find((r: { scopeURL: string }) => r.scopeURL === scope);
        if (found) resolve(found.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registered;
    const payload = {
      title: `Main Branch: ticket ${ticket.code}`,
      body: `Ticket ${ticket.code} at Main Branch: it is your turn. Please go to Counter 1.`,
      url: `${web.app}#/t/${ticket.publicToken}`,
      event: 'called',
      tag: ticket.code,
    };
    const deliver = () =>
      cdp.send('ServiceWorker.deliverPushMessage', {
        origin: new URL(web.base).origin,
        registrationId,
        data: JSON.stringify(payload),
      });
    await deliver();
    // A busy machine may stop the worker before it handles the message: delivered again, the
    // same tag replaces the notification, so one is shown whatever the number of deliveries.
    await expect
      .poll(
        async () => {
          const shown = await page.evaluate(async () =>
            (await (await (globalThis as any).navigator.serviceWorker.ready).getNotifications()).map(
              (n: any) => ({
                title: n.title,
                body: n.body,
                tag: n.tag,
              }),
            ),
          );
          if (shown.length === 0) await deliver();
          return shown;
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toEqual([{ title: payload.title, body: payload.body, tag: `${ticket.code}:called` }]);
    await context.close();
    expect(problems).toEqual([]);
  });
});
