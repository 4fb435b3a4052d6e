import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserTestbed, eventually, hasChromium, htmlLang } from '#tests/support/browser';
import { screenshot } from '#tests/support/screenshots';

/**
 * Remote join and feedback in a real browser (Debian's Chromium via playwright-core) against
 * `npm start`: the demo branch set to Spanish with remote join on, seen from a browser in
 * American English. The join page speaks the branch's language and switches; a customer joins,
 * lands on the ticket's status page and sees the position move by push; once served, the page
 * asks for a rating and takes it. The manager's setup prints a poster with the join page's QR.
 * (Every request comes from 127.0.0.1: the join budget of 3 per 10 minutes allows this file one
 * join, with room for a retry.)
 */

const AWAY = { locale: 'en-US', timezoneId: 'America/New_York' };
/** For a look by eye (test-results/ is not kept). */

const web = new BrowserTestbed('web-join');
const { api, login, problems } = web;
let branchId: string;
let counters: Record<string, string>;
let queues: Record<string, string>;

const newPage = (name: string) => web.newPage(name, AWAY);

interface StaffTicket {
  id: string;
  code: string;
  status: string;
  source: string;
  customer: { name?: string } | null;
  feedback: { rating: number; comment: string | null } | null;
}

const callNext = (counter: string) =>
  api<{ ticket: StaffTicket }>('POST', `/v1/branches/${branchId}/counters/${counters[counter]}/call-next`);
const complete = (ticketId: string) =>
  api<{ ticket: StaffTicket }>('POST', `/v1/branches/${branchId}/tickets/${ticketId}/complete`);
const staffTicket = async (ticketId: string) =>
  (await api<{ ticket: StaffTicket }>('GET', `/v1/branches/${branchId}/tickets/${ticketId}`)).ticket;

describe.skipIf(!hasChromium)('remote join and feedback in Chromium against npm start', () => {
  beforeAll(async () => {
    await web.start();
    const branches = await api<{ items: Array<{ id: string }> }>('GET', '/v1/branches');
    branchId = branches.items[0]!.id;
    await api('PATCH', `/v1/branches/${branchId}`, { language: 'es', remoteJoin: { enabled: true } });
    counters = await web.counterIds(branchId);
    queues = await web.queueIds(branchId);
  }, 120_000);

  afterAll(web.stop);

  let page: Page;
  let staffAhead: StaffTicket;

  it('the join page of a Spanish branch is in Spanish on an English browser, and switches to English', async () => {
    // A ticket already waits in G: the customer will be second.
    staffAhead = (
      await api<{ ticket: StaffTicket }>('POST', `/v1/branches/${branchId}/tickets`, { queueId: queues.G })
    ).ticket;
    page = await newPage('join');
    await page.goto(`${web.app}#/join/${branchId}`);
    await page.getByRole('heading', { name: 'Únase a la cola' }).waitFor();
    expect(await htmlLang(page)).toBe('es');
    expect(await page.getByText('Elija un servicio').count()).toBe(1);
    // Every open queue of the branch, with how many wait.
    for (const id of Object.values(queues)) {
      expect(await page.getByTestId(`join-facts-${id}`).count()).toBe(1);
    }
    expect(await page.getByTestId(`join-facts-${queues.G}`).textContent()).toContain('1 en espera');
    expect(await page.getByRole('button', { name: 'Sacar mi turno' }).isDisabled()).toBe(true);
    await screenshot(page, 'join-es', true);

    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'Join the queue' }).waitFor();
    expect(await htmlLang(page)).toBe('en');
    expect(await page.getByTestId(`join-facts-${queues.G}`).textContent()).toContain('1 waiting');
    expect(problems).toEqual([]);
  });

  let ticket: StaffTicket;

  it('joins, lands on the ticket’s status page (in the language chosen) and follows the position live', async () => {
    const queueName = (await api<{ name: string }>('GET', `/v1/branches/${branchId}/queues/${queues.G}`))
      .name;
    await page.getByRole('radio', { name: new RegExp(queueName) }).check();
    await page.getByLabel('Name').fill('Lucía');
    await page.getByRole('button', { name: 'Get my ticket' }).click();
    await eventually(() => page.url()).toContain('#/t/');
    await eventually(() => page.getByTestId('status-text').textContent()).toBe('Waiting');
    expect(await htmlLang(page)).toBe('en');
    expect(await page.getByTestId('status-position').textContent()).toBe('2');
    const code = await page.getByTestId('status-code').textContent();
    const listed = await api<{ items: StaffTicket[] }>('GET', `/v1/branches/${branchId}/tickets`);
    ticket = listed.items.find((t) => t.code === code)!;
    expect(ticket).toMatchObject({ source: 'remote', status: 'waiting', customer: { name: 'Lucía' } });

    // The ticket ahead is called: the position moves by push.
    const first = await callNext('Counter 3');
    expect(first.ticket.id).toBe(staffAhead.id);
    await eventually(() => page.getByTestId('status-position').textContent()).toBe('1');
    await complete(staffAhead.id);
    const ours = await callNext('Counter 3');
    expect(ours.ticket.id).toBe(ticket.id);
    await eventually(() => page.getByTestId('status-text').textContent()).toBe('Called');
    expect(await page.getByTestId('feedback-form').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('asks for a rating once the ticket is done, takes it, and thanks', async () => {
    await complete(ticket.id);
    await eventually(() => page.getByTestId('status-text').textContent()).toBe('Done');
    const form = page.getByTestId('feedback-form');
    await form.waitFor();
    await page.getByRole('radio', { name: '4 of 5' }).check({ force: true });
    await page.getByLabel('Comment (optional)').fill('Quick and kind');
    await screenshot(page, 'status-feedback', true);
    await page.getByRole('button', { name: 'Send my rating' }).click();
    await eventually(() => page.getByTestId('feedback-thanks').textContent()).toBe(
      'Thank you for your feedback.',
    );
    expect(await page.getByTestId('feedback-form').count()).toBe(0);
    expect((await staffTicket(ticket.id)).feedback).toMatchObject({ rating: 4, comment: 'Quick and kind' });
    // A reload still knows it was given.
    await page.reload();
    await page.getByTestId('feedback-thanks').waitFor();
    expect(problems).toEqual([]);
  });

  it('the manager’s setup prints a join poster with the join page’s QR code, alone on the page; the report shows ratings', async () => {
    const manager = await newPage('manager');
    await login(manager, 'admin', web.credentials.password);
    await eventually(() => manager.url()).toContain('#/manage');
    await manager.goto(`${web.app}#/manage/setup`);
    await manager.getByTestId('join-poster-open').scrollIntoViewIfNeeded();
    await screenshot(manager, 'join-setup', true);
    await manager.getByTestId('join-poster-open').click();
    const poster = manager.getByTestId('join-poster');
    await poster.waitFor();
    const joinUrl = `${web.app}#/join/${branchId}`;
    const qr = poster.locator('svg.qr');
    expect(await qr.getAttribute('data-value')).toBe(joinUrl);
    expect(await qr.locator('path').getAttribute('d')).toMatch(/^M\d/);
    // The poster is for the branch's customers: in the branch's language.
    expect(await poster.getByRole('heading').textContent()).toBe('Evite la cola');
    expect(await poster.getByRole('button', { name: 'Imprimir' }).count()).toBe(1);
    await screenshot(manager, 'join-poster', true);

    // Printed, the poster is all there is: the app behind it and the poster's buttons are hidden.
    await manager.emulateMedia({ media: 'print' });
    expect(await manager.locator('.shell').isVisible()).toBe(false);
    expect(await qr.isVisible()).toBe(true);
    expect(await poster.getByRole('button', { name: 'Imprimir' }).isVisible()).toBe(false);
    // Printed to PDF (headless Chromium), it fits one A4 page.
    mkdirSync('test-results', { recursive: true });
    const pdf = await manager.pdf({
      path: join('test-results', 'join-poster.pdf'),
      preferCSSPageSize: true,
    });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await manager.emulateMedia({ media: 'screen' });
    await poster.getByRole('button', { name: 'Cerrar' }).click();
    expect(await poster.count()).toBe(0);

    // The report shows the rating given above (the demo branch had none before).
    await manager.goto(`${web.app}#/manage/report`);
    await eventually(() => manager.getByTestId('report-feedbackCount').textContent()).toBe('1');
    expect(await manager.getByTestId('report-avgRating').textContent()).toBe('4 / 5');
    await screenshot(manager, 'report-ratings', true);
    await manager.goto(`${web.app}#/manage/setup`);

    // Remote join turned off there: the poster is gone from setup, and the join page says so.
    const remoteJoin = manager.getByRole('region', { name: 'Remote join' });
    await remoteJoin.getByLabel('Customers may take a ticket from the join page').uncheck();
    await remoteJoin.getByRole('button', { name: 'Save' }).click();
    await remoteJoin.getByText('Saved.').waitFor();
    await eventually(() => manager.getByTestId('join-poster-open').count()).toBe(0);
    const off = await newPage('join-off');
    await off.goto(`${web.app}#/join/${branchId}`);
    await off.getByTestId('join-not-found').waitFor();
    expect(problems.filter((p) => !/404/.test(p))).toEqual([]);
  });
});
