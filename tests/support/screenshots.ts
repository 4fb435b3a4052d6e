import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Where the browser tests put their screenshots: test-results/screenshots/, or the tracked
 * docs/screenshots/ with UPDATE_SCREENSHOTS=1 (`npm run screenshots`), so that a plain
 * `npm test` leaves the tracked images alone.
 */
export const SCREENSHOTS_DIR = resolve(
  process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots',
);

/** The sizes the screenshots are taken at: a 1080p screen, a laptop, a phone. */
export const DESKTOP = { width: 1920, height: 1080 };
export const LAPTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A screenshot of the page as it is once its last render has settled. */
export async function screenshot(page: Page, name: string, fullPage = false) {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage });
}
