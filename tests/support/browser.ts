import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CATALOGUES, type Language, resolveLanguage } from '#core/i18n/index';
import { type LocalStart, startLocal } from '#tests/support/local-start';

/**
 * What every browser test (tests/e2e/web*.test.ts) stands on: Debian's Chromium driven by
 * playwright-core against `npm start` on the test run's DynamoDB Local, signed in as the demo
 * admin, with every console error and page error of its pages collected to fail on.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without it the browser tests skip (`describe.skipIf(!hasChromium)`). */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `browser tests: SKIPPED — no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}

/** expect.poll with room for a loaded 2-core machine (scrypt logins, 3-5 s polling screens). */
export const eventually = <T>(fn: () => T | Promise<T>, timeout = 15_000) =>
  expect.poll(fn, { timeout, interval: 100 });

export interface PageOptions {
  /** The browser's language, as `navigator.language` (and the staff screens' unless `language`). */
  locale: string;
  /** 1280×900 unless given; narrower than 600 is a phone (mobile, touch). */
  viewport?: { width: number; height: number };
  /** The browser's time zone; the machine's unless given. */
  timezoneId?: string;
  /** The staff screens' language chosen earlier on this device (kept in localStorage). */
  language?: Language;
  permissions?: string[];
  /** Console errors this page is expected to log (matched against the text and its source URL). */
  allow?: RegExp[];
}

/** The demo organisation's first admin, as `npm start` writes it into DATA_DIR. */
interface Credentials {
  tenant: string;
  username: string;
  password: string;
}

/**
 * One test file's `npm start` and Chromium: `start()` in beforeAll, `stop()` in afterAll. Its
 * members are arrow functions, so that a test file may take them apart (`const { api } = web`).
 */
export class BrowserTestbed {
  /** Console and page errors of every page opened here, `[page name] …`; a test may take out the ones it expects. */
  readonly problems: string[] = [];
  private local: LocalStart | undefined;
  private chromium: Browser | undefined;
  private admin: { credentials: Credentials; token: string } | undefined;
  private readonly contexts: BrowserContext[] = [];
  /** The language each page's sign-in form is shown in. */
  private readonly languages = new WeakMap<Page, Language>();

  /** `name` names the server's table and DATA_DIR; `env` adds to (or overrides) its environment. */
  constructor(
    private readonly name: string,
    private readonly env: Record<string, string> = {},
  ) {}

  get server(): LocalStart {
    if (!this.local) throw new Error('BrowserTestbed: start() first');
    return this.local;
  }
  /** `http://127.0.0.1:<port>` */
  get base(): string {
    return this.server.base;
  }
  /** Where the web app is served. */
  get app(): string {
    return `${this.base}/app/`;
  }
  get credentials(): Credentials {
    if (!this.admin) throw new Error('BrowserTestbed: start() first');
    return this.admin.credentials;
  }
  get adminToken(): string {
    if (!this.admin) throw new Error('BrowserTestbed: start() first');
    return this.admin.token;
  }
  get browser(): Browser {
    if (!this.chromium) throw new Error('BrowserTestbed: start() first');
    return this.chromium;
  }

  /** `npm start`, the admin's token, Chromium. */
  start = async () => {
    this.local = await startLocal(this.name, { env: { HOST: '127.0.0.1', ...this.env }, timeoutMs: 100_000 });
    const credentials: Credentials = JSON.parse(
      readFileSync(join(this.local.dataDir, 'demo-credentials.json'), 'utf8'),
    );
    const { accessToken } = await this.api<{ accessToken: string }>(
      'POST',
      '/v1/auth/login',
      credentials,
      '',
    );
    this.admin = { credentials, token: accessToken };
    this.chromium = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  };

  stop = async () => {
    for (const context of this.contexts) await context.close().catch(() => {});
    await this.chromium?.close().catch(() => {});
    this.local?.kill();
  };

  /** A call to the server's API, as the admin unless `token` says otherwise (`''`: none); throws unless 2xx. */
  api = async <T>(
    method: string,
    path: string,
    body?: unknown,
    token = this.admin?.token ?? '',
  ): Promise<T> => {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };

  /** An access token of `username` of the demo organisation. */
  tokenOf = async (username: string, password: string): Promise<string> =>
    (
      await this.api<{ accessToken: string }>(
        'POST',
        '/v1/auth/login',
        { tenant: 'demo', username, password },
        '',
      )
    ).accessToken;

  /** Staff users of `branchId`, each with the password `<username>-password` and the name "<Role> One". */
  addStaff = async (branchId: string, users: ReadonlyArray<readonly [username: string, roleId: string]>) => {
    for (const [username, roleId] of users) {
      await this.api('POST', '/v1/users', {
        username,
        password: `${username}-password`,
        fullName: `${roleId[0]!.toUpperCase()}${roleId.slice(1)} One`,
        roleId,
        branchIds: [branchId],
      });
    }
  };

  /** The ids of a branch's queues, by prefix. */
  queueIds = (branchId: string) => this.idsBy(branchId, 'queues', 'prefix');

  /** The ids of a branch's counters, by name. */
  counterIds = (branchId: string) => this.idsBy(branchId, 'counters', 'name');

  private idsBy = async (branchId: string, list: 'queues' | 'counters', key: 'prefix' | 'name') => {
    const { items } = await this.api<{ items: Array<Record<string, string>> }>(
      'GET',
      `/v1/branches/${branchId}/${list}`,
    );
    return Object.fromEntries(items.map((item) => [item[key]!, item.id!]));
  };

  /** A page in a context of its own; its console and page errors go to `problems`. */
  newPage = async (name: string, options: PageOptions): Promise<Page> => {
    const {
      locale,
      viewport = { width: 1280, height: 900 },
      timezoneId,
      language,
      permissions,
      allow = [],
    } = options;
    const phone = viewport.width < 600;
    const context = await this.browser.newContext({
      viewport,
      deviceScaleFactor: 1,
      isMobile: phone,
      hasTouch: phone,
      locale,
      timezoneId,
      permissions,
    });
    this.contexts.push(context);
    // Chromium logs CSP violations to the console, but to be sure none goes unseen: every
    // securitypolicyviolation event becomes a console error, which fails the test.
    await context.addInitScript(() => {
      (globalThis as any).document.addEventListener('securitypolicyviolation', (event: any) =>
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`),
      );
    });
    if (language) {
      await context.addInitScript((lang) => {
        (globalThis as any).localStorage.setItem('queueline.language', lang);
      }, language);
    }
    const page = await context.newPage();
    this.languages.set(page, language ?? resolveLanguage(locale));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = `${message.text()} ${message.location().url ?? ''}`;
      if (!allow.some((re) => re.test(text))) this.problems.push(`[${name}] console error: ${text}`);
    });
    page.on('pageerror', (error) => this.problems.push(`[${name}] page error: ${error.message}`));
    page.setDefaultTimeout(15_000);
    return page;
  };

  /**
   * Fills in and sends the sign-in form, by its labels in the page's language (its chosen one,
   * else the browser's); does not wait for where it leads.
   */
  login = async (page: Page, username: string, password: string) => {
    const words = CATALOGUES[this.languages.get(page) ?? 'en'];
    await page.goto(`${this.app}#/login`);
    await page.getByLabel(words['login.organisation']).fill('demo');
    await page.getByLabel(words['login.username']).fill(username);
    await page.getByLabel(words['login.password']).fill(password);
    await page.getByRole('button', { name: words['login.submit'] }).click();
  };
}

/** `<html lang>`: the language the app says its page is in. */
export const htmlLang = (page: Page): Promise<string> =>
  page.evaluate(() => (globalThis as any).document.documentElement.lang);

/**
 * Runs in the board's page before the app: records the chime's tones and what would be said,
 * with a speechSynthesis that only listens (a headless browser has no voices to speak with).
 */
export function recordAnnouncements() {
  const g = globalThis as any;
  const said: Array<{ kind: 'tone' | 'speech'; text?: string; lang?: string }> = [];
  g.announced = said;
  const start = g.OscillatorNode.prototype.start;
  g.OscillatorNode.prototype.start = function (...args: unknown[]) {
    said.push({ kind: 'tone' });
    return start.apply(this, args);
  };
  const synth = {
    speaking: false,
    pending: false,
    paused: false,
    speak(utterance: any) {
      said.push({ kind: 'speech', text: utterance.text, lang: utterance.lang });
      setTimeout(() => utterance.dispatchEvent(new g.Event('end')), 10);
    },
    cancel() {},
    pause() {},
    resume() {},
    getVoices: () => [],
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(g, 'speechSynthesis', { configurable: true, value: synth });
}

/** What a page with recordAnnouncements chimed and said, in order. */
export const announced = (page: Page) =>
  page.evaluate(() => (globalThis as any).announced as Array<{ kind: string; text?: string; lang?: string }>);
/** The words said, without the chimes. */
export const spoken = async (page: Page) =>
  (await announced(page)).filter((a) => a.kind === 'speech').map((a) => a.text);
