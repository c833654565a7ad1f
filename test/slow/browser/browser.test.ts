/**
 * Browser suite: Debian's Chromium (/usr/bin/chromium, driven by playwright-core; never `playwright install`)
 * loads a page from a local static server that imports the built ESM output (dist/esm), and talks cross-origin to a
 * CORS-enabled local API on 127.0.0.1: a retrieve, auto-pagination over three pages, an API error surfacing as
 * NotFoundError, and the browser guard. A screenshot of the result page is saved to test-results/browser.png.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startServer, type LocalServer } from '../../support/local-server';
import { ROOT } from '../../support/paths';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

const DIST = join(ROOT, 'dist', 'esm');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};

let site: LocalServer;
let api: LocalServer;
let context: BrowserContext | undefined;
let profile: string;

const project = (n: number) => ({
  id: `proj_${n}`,
  object: 'organization.project',
  name: `Browser project ${n}`,
  created_at: 1711471533 + n,
  status: 'active',
});
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, accept, openai-organization, openai-project',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-expose-headers': 'x-request-id',
};

beforeAll(async () => {
  if (!existsSync(join(DIST, 'src', 'index.js'))) throw new Error('dist/esm is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  site = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(readFileSync(join(__dirname, 'page.html')));
      return;
    }
    const file = normalize(join(ROOT, decodeURIComponent(url.pathname)));
    if (!file.startsWith(DIST + sep) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  api = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown, extra: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...CORS, ...extra }).end(JSON.stringify(body));
    if (req.method === 'OPTIONS') return void res.writeHead(204, CORS).end();
    if (url.pathname === '/organization/projects') {
      const after = url.searchParams.get('after');
      const start = after ? Number(after.replace('proj_', '')) + 1 : 1;
      const items = [start, start + 1].filter((n) => n <= 5).map(project);
      return send(
        200,
        { object: 'list', data: items, first_id: items[0]?.id, last_id: items.at(-1)?.id, has_more: start + 1 < 5 },
        { 'x-request-id': 'req_list' },
      );
    }
    const m = /^\/organization\/projects\/(proj_\d+)$/.exec(url.pathname);
    if (m) return send(200, project(Number(m[1].slice(5))), { 'x-request-id': 'req_ok' });
    return send(
      404,
      {
        error: {
          message: 'No such project: proj_missing',
          type: 'invalid_request_error',
          param: null,
          code: 'not_found',
        },
      },
      { 'x-request-id': 'req_browser_404' },
    );
  });
  profile = mkdtempSync(join(tmpdir(), 'openai-admin-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1000, height: 520 },
    timeout: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await site?.close();
  await api?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

type Results = Record<string, { ok: boolean; detail: unknown }>;
let results: Results;
const consoleErrors: string[] = [];

test('the page loads the built ESM output and runs every check', async () => {
  const page = await context!.newPage();
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${site.url}/?api=${encodeURIComponent(api.url)}`);
  await page.waitForFunction(() => (window as unknown as { __results?: unknown }).__results !== undefined, undefined, {
    timeout: 30_000,
  });
  results = await page.evaluate(() => (window as unknown as { __results: Results }).__results);
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-results', 'browser.png'), fullPage: true });
  expect(results['page script']).toBeUndefined();
  expect(consoleErrors.filter((e) => !/404|proj_missing/.test(e))).toEqual([]);
  // Every module came from dist/esm: nothing was fetched from elsewhere.
  expect(
    site.requests.every(
      (r) =>
        r.url === `/?api=${encodeURIComponent(api.url)}` || r.url.startsWith('/dist/esm/') || r.url === '/favicon.ico',
    ),
  ).toBe(true);
});

test.each([
  'guard: apiKey without dangerouslyAllowBrowser throws',
  'retrieve (apiKey: null)',
  'auto-pagination over 3 pages',
  'API error class',
  'dangerouslyAllowBrowser: true works (CORS preflight with Authorization)',
])('%s', (check) => {
  expect(results?.[check]).toEqual(expect.objectContaining({ ok: true }));
});

test('the API saw the page traffic: no key with apiKey: null, the key once allowed, three list pages', () => {
  const gets = api.requests.filter((r) => r.method === 'GET');
  const list = gets.filter((r) => r.url.startsWith('/organization/projects?'));
  expect(list.map((r) => r.url)).toEqual([
    '/organization/projects?limit=2',
    '/organization/projects?limit=2&after=proj_2',
    '/organization/projects?limit=2&after=proj_4',
  ]);
  const keyless = gets.filter((r) => r.url !== '/organization/projects/proj_2');
  expect(keyless.every((r) => r.headers.authorization === undefined)).toBe(true);
  const keyed = gets.find((r) => r.url === '/organization/projects/proj_2');
  expect(keyed?.headers.authorization).toBe('Bearer sk-admin-browser-page-key');
  expect(api.requests.some((r) => r.method === 'OPTIONS')).toBe(true);
});
