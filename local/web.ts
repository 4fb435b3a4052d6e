import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { webAppHeaders } from '#infra/web-headers';

/**
 * The web app (web/) on the local server: built with Vite into web/dist when it is missing or
 * older than its sources (so `npm install && npm start` just works, and so does an edit under
 * web/ followed by a restart), and served at /app/ next to the API.
 */

const ROOT = resolve(import.meta.dirname, '..');
export const WEB_DIR = join(ROOT, 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');
/** Written after a successful build; its mtime is the build's. */
const STAMP = join(WEB_DIST, '.build-stamp');
export const APP_PATH = '/app/';

/** Newest mtime (ms) of the files a build reads: web/ sources, its config, the lockfile. */
function newestSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      for (const name of readdirSync(path)) {
        if (name !== 'dist' && name !== 'node_modules' && !name.startsWith('.dist-')) visit(join(path, name));
      }
    } else if (stat) newest = Math.max(newest, stat.mtimeMs);
  };
  visit(WEB_DIR);
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(lock)) newest = Math.max(newest, statSync(lock).mtimeMs);
  return newest;
}

export function webBuildIsFresh(): boolean {
  return (
    existsSync(STAMP) && existsSync(join(WEB_DIST, 'index.html')) && statSync(STAMP).mtimeMs >= newestSource()
  );
}

/**
 * Builds web/ into web/dist unless the last build is newer than every source; returns whether it
 * built. Vite is loaded only then. The build goes to a fresh folder that replaces web/dist by
 * renames, so a server (or a second build, e.g. two test files starting servers) never sees a
 * half-written web/dist.
 */
export async function ensureWebBuild(options: { force?: boolean; log?: (line: string) => void } = {}) {
  if (!options.force && webBuildIsFresh()) return false;
  const started = Date.now();
  const unique = `${process.pid}-${started.toString(36)}`;
  const fresh = join(WEB_DIR, `.dist-new-${unique}`);
  const old = join(WEB_DIR, `.dist-old-${unique}`);
  const { build } = await import('vite');
  try {
    await build({
      root: WEB_DIR,
      configFile: join(WEB_DIR, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: fresh, emptyOutDir: true },
    });
    writeFileSync(join(fresh, '.build-stamp'), `${new Date().toISOString()}\n`);
    try {
      renameSync(WEB_DIST, old);
    } catch {
      // No web/dist yet (or another build is swapping it).
    }
    try {
      renameSync(fresh, WEB_DIST);
    } catch {
      // Another build put its web/dist in place meanwhile: built from the same sources, keep it.
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  options.log?.(`web app built into ${WEB_DIST} in ${Date.now() - started} ms`);
  return true;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Same origin as the API here; the CSP's connect-src adds the push server (its own port, so not
 * 'self'), whose URL `npm start` sets in LIVE_URL before serving.
 */
const appHeaders = () => webAppHeaders(process.env.LIVE_URL ? [new URL(process.env.LIVE_URL).origin] : []);

function sendFile(req: http.IncomingMessage, res: http.ServerResponse, file: string, cache: string) {
  const body = readFileSync(file);
  res.writeHead(200, {
    ...appHeaders(),
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(body.length),
    'cache-control': cache,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The `extra` hook of createServer (local/server.ts): GET/HEAD /app/… from web/dist (hashed
 * assets cached for good, index.html never), index.html for any other path under /app/ (so
 * `/app/verify-email?token=…` works), `/verify-email?token=…` — the link in signup mails
 * while APP_URL is the API's own URL — redirected to the app's page, and the app's icon at
 * /favicon.ico. Everything else: the API.
 */
export function serveWeb(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname === '/verify-email') {
    res.writeHead(302, { location: `${APP_PATH}#/verify-email${url.search}` });
    res.end();
    return true;
  }
  // Browsers ask the origin's root for an icon whatever the page says (the API's docs, a mail link).
  if (url.pathname === '/favicon.ico' && existsSync(join(WEB_DIST, 'favicon.ico'))) {
    sendFile(req, res, join(WEB_DIST, 'favicon.ico'), 'public, max-age=86400');
    return true;
  }
  if (url.pathname === '/app') {
    res.writeHead(301, { location: `${APP_PATH}${url.search}` });
    res.end();
    return true;
  }
  if (!url.pathname.startsWith(APP_PATH)) return false;
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(503, { ...appHeaders(), 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
    res.end('The web app is not built yet: run `npm run build:web` (npm start builds it by itself).\n');
    return true;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname.slice(APP_PATH.length));
  } catch {
    relative = '';
  }
  const file = normalize(join(WEB_DIST, relative));
  if (relative && file.startsWith(WEB_DIST + sep) && existsSync(file) && statSync(file).isFile()) {
    const immutable = relative.startsWith('assets/');
    sendFile(req, res, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return true;
  }
  if (extname(relative) && relative !== 'verify-email') {
    res.writeHead(404, { ...appHeaders(), 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
    return true;
  }
  sendFile(req, res, index, 'no-cache');
  return true;
}

// `npm run build:web` (tsx local/web.ts): build now, whatever the stamp says.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await ensureWebBuild({ force: true, log: (line) => console.log(line) });
}
