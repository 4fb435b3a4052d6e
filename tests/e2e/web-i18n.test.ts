import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announced,
  BrowserTestbed,
  eventually,
  hasChromium,
  htmlLang,
  recordAnnouncements,
} from '#tests/support/browser';

/**
 * Languages in a real browser (Debian's Chromium via playwright-core) against `npm start`: the
 * demo branch set to Spanish, seen from a browser in American English on New York time. Customer
 * screens (status page, board and its spoken call) follow the branch — words, `<html lang>`, and
 * times in the branch's zone — and the status page's switcher changes it for that ticket; staff
 * screens (agent console) follow the user's choice kept in the browser, else the browser's language.
 */

const AWAY = { locale: 'en-US', timezoneId: 'America/New_York' };
const BRANCH_ZONE = 'Europe/Madrid';

const web = new BrowserTestbed('web-i18n');
const { api, login, problems } = web;
let branchId: string;
let counters: Record<string, string>;
let queues: Record<string, string>;

const newPage = (name: string, settings: { locale: string; timezoneId: string } = AWAY) =>
  web.newPage(name, settings);

const issue = async (prefix: string) =>
  (
    await api<{ ticket: { code: string; publicToken: string } }>('POST', `/v1/branches/${branchId}/tickets`, {
      queueId: queues[prefix],
    })
  ).ticket;

const callNext = async (counter: string) =>
  (
    await api<{ ticket: { code: string; calledAt: string } }>(
      'POST',
      `/v1/branches/${branchId}/counters/${counters[counter]}/call-next`,
    )
  ).ticket;

describe.skipIf(!hasChromium)('languages in Chromium against npm start', () => {
  beforeAll(async () => {
    await web.start();
    const branches = await api<{ items: Array<{ id: string; timezone: string }> }>('GET', '/v1/branches');
    branchId = branches.items[0]!.id;
    expect(branches.items[0]!.timezone).toBe(BRANCH_ZONE);
    await api('PATCH', `/v1/branches/${branchId}`, { language: 'es' });
    counters = await web.counterIds(branchId);
    queues = await web.queueIds(branchId);
    await web.addStaff(branchId, [
      ['agent1', 'agent'],
      ['screen1', 'display'],
    ]);
  }, 120_000);

  afterAll(web.stop);

  let board: Page;

  it('the board of a Spanish branch speaks Spanish on an American display, without a switcher', async () => {
    board = await newPage('board');
    await board.addInitScript(recordAnnouncements);
    await login(board, 'screen1', 'screen1-password');
    await eventually(() => board.url()).toContain('#/board');
    await board.getByRole('heading', { name: 'Atendiendo' }).waitFor();
    expect(await htmlLang(board)).toBe('es');
    expect(await board.getByRole('region', { name: 'Últimas llamadas' }).count()).toBe(1);
    expect(await board.getByRole('button', { name: 'Silenciar' }).count()).toBe(1);
    // Madrid's clock and date in Spanish, not New York's.
    const clock = new Intl.DateTimeFormat('es', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: BRANCH_ZONE,
    });
    await eventually(async () => [clock.format(Date.now() - 60_000), clock.format(Date.now())]).toContain(
      await board.locator('.board-clock time').textContent(),
    );
    const day = new Intl.DateTimeFormat('es', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: BRANCH_ZONE,
    });
    expect(await board.locator('.board-clock .day').textContent()).toBe(day.format(Date.now()));
    expect(await board.locator('main.board select').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  let ticket: { code: string; publicToken: string };
  let status: Page;

  it('the status page of a Spanish branch is in Spanish, <html lang="es">, times in Madrid', async () => {
    ticket = await issue('G');
    status = await newPage('status');
    await status.goto(`${web.app}#/t/${ticket.publicToken}`);
    await eventually(() => status.getByTestId('status-text').textContent()).toBe('En espera');
    expect(await htmlLang(status)).toBe('es');
    expect(await status.getByText('Posición').count()).toBe(1);
    expect(await status.getByRole('button', { name: 'Anular mi turno' }).count()).toBe(1);
    await eventually(() => status.title()).toBe(`Turno ${ticket.code}`);

    const called = await callNext('Counter 3');
    expect(called.code).toBe(ticket.code);
    await eventually(() => status.getByTestId('status-text').textContent()).toBe('Llamado');
    expect(await status.getByTestId('status-counter').textContent()).toBe('Por favor, acuda a Counter 3');
    const at = (timeZone: string) =>
      new Intl.DateTimeFormat('es', { hour: '2-digit', minute: '2-digit', timeZone }).format(
        new Date(called.calledAt),
      );
    expect(at(BRANCH_ZONE)).not.toBe(at(AWAY.timezoneId));
    expect(await status.getByTestId('status-called-at').textContent()).toBe(
      `Llamado a las ${at(BRANCH_ZONE)}`,
    );
    expect(problems).toEqual([]);
  });

  it('the board says the call in Spanish', async () => {
    await eventually(async () => (await announced(board)).filter((a) => a.kind === 'speech')).toEqual([
      {
        kind: 'speech',
        text: `Turno G ${Number(ticket.code.slice(2))}, por favor, acuda a Counter 3`,
        lang: 'es',
      },
    ]);
    expect(await board.getByTestId('board-counter-Counter 3').textContent()).toContain(ticket.code);
  });

  it('the switcher turns the status page to English, remembered for that ticket only', async () => {
    await status.getByLabel('Idioma').selectOption('en');
    await eventually(() => status.getByTestId('status-text').textContent()).toBe('Called');
    expect(await htmlLang(status)).toBe('en');
    expect(await status.getByTestId('status-counter').textContent()).toBe('Please go to Counter 3');
    expect(await status.getByTestId('status-called-at').textContent()).toMatch(/^Called at \d\d:\d\d [AP]M$/);
    await status.reload();
    await eventually(() => status.getByTestId('status-text').textContent()).toBe('Called');

    const other = await issue('G');
    await status.goto(`${web.app}#/t/${other.publicToken}`);
    await eventually(() => status.getByTestId('status-text').textContent()).toBe('En espera');
    expect(await htmlLang(status)).toBe('es');
    expect(problems).toEqual([]);
  });

  it('staff screens follow the user: English in an English browser, Spanish once chosen, kept', async () => {
    const page = await newPage('agent');
    await login(page, 'agent1', 'agent1-password');
    await eventually(() => page.url()).toContain('#/agent');
    await page.getByRole('heading', { name: 'Agent console' }).waitFor();
    expect(await htmlLang(page)).toBe('en-US'); // the browser's own tag: its clock too
    await page.getByLabel('Counter').selectOption({ label: 'Counter 1' });
    await page.getByRole('button', { name: 'Call next' }).waitFor();

    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { name: 'Consola del agente' }).waitFor();
    expect(await htmlLang(page)).toBe('es');
    expect(await page.getByRole('button', { name: 'Llamar al siguiente' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Cerrar sesión' }).count()).toBe(1);
    await page.reload();
    await page.getByRole('heading', { name: 'Consola del agente' }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).localStorage.getItem('queueline.language'))).toBe(
      'es',
    );
    expect(problems).toEqual([]);
  });

  it('a browser in Spanish signs in in Spanish with no choice made', async () => {
    const page = await newPage('spanish-browser', { locale: 'es-ES', timezoneId: BRANCH_ZONE });
    await page.goto(`${web.app}#/login`);
    await page.getByRole('heading', { name: 'Iniciar sesión en Queueline' }).waitFor();
    expect(await htmlLang(page)).toBe('es-ES');
    expect(await page.getByLabel('Contraseña').count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
