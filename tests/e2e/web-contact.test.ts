import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserTestbed, hasChromium } from '#tests/support/browser';
import { PHONE } from '#tests/support/screenshots';

/**
 * The status page's "Erase my contact details" in a real browser (Debian's Chromium driven by
 * playwright-core) against `npm start`: the customer asks, confirms (or changes their mind), sees
 * that it is done, and the staff then see the ticket without a customer — still waiting in its
 * place. Any console error or page error fails.
 */

const web = new BrowserTestbed('web-contact');
const { api, problems } = web;

describe.skipIf(!hasChromium)('the status page erases the contact details, in Chromium', () => {
  beforeAll(web.start, 120_000);
  afterAll(web.stop);

  it('asks first, erases at once, says so; the ticket keeps its place without a customer', async () => {
    const branches = await api<{ items: Array<{ id: string; name: string }> }>('GET', '/v1/branches');
    const branchId = branches.items.find((b) => b.name === 'Main Branch')!.id;
    const queues = await web.queueIds(branchId);
    const customer = { name: 'Lucía Pérez', phone: '+34600111222', email: 'lucia@example.org' };
    const { ticket } = await api<{ ticket: { id: string; publicToken: string } }>(
      'POST',
      `/v1/branches/${branchId}/tickets`,
      { queueId: queues.G, customer },
    );

    const page = await web.newPage('status', { viewport: PHONE, locale: 'en-GB' });
    await page.goto(`${web.app}#/t/${ticket.publicToken}`);
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
    await page.context().close();
    expect(problems).toEqual([]);
  });
});
