/**
 * `report spend --html` against a hostile server, opened in Debian's Chromium: every field of every response the
 * report reads carries markup that calls `pwned(field)` if it ever runs (test/support/hostile-spend.ts), for each
 * grouping. Nothing runs, nothing is fetched, the browser reports nothing, and the hostile text is on the page as
 * text. Then each defence on its own: the page without its Content-Security-Policy still runs nothing (the
 * escaping), and markup planted into the page as if an escape were missed runs nothing either (the policy), while
 * the page's own stylesheet still applies.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Request } from 'playwright-core';
import {
  CURRENCY,
  EXPECTED,
  HOSTILE_LINE_ITEM,
  HOSTILE_MODEL,
  HOSTILE_PROJECT_ID,
  HOSTILE_PROJECT_NAME,
  PLAIN_PROJECT,
  PWNED,
  startHostileSpendServer,
} from '../../support/hostile-spend';
import type { LocalServer } from '../../support/local-server';
import { ROOT } from '../../support/paths';
import { run } from '../../support/processes';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

const BIN = join(ROOT, 'dist', 'esm', 'src', 'cli', 'bin.js');

let server: LocalServer & { baseURL: string };
let context: BrowserContext | undefined;
let work: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error('dist/esm is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  server = await startHostileSpendServer();
  work = mkdtempSync(join(tmpdir(), 'openai-admin-report-injection-'));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The bin writes the report (and prints its JSON) from the hostile server. */
async function writeReport(by: string) {
  const file = join(work, `report-${by}.html`);
  const env = { PATH: process.env.PATH, OPENAI_ADMIN_KEY: 'sk-admin-browser', OPENAI_BASE_URL: server.baseURL };
  const r = await run(process.execPath, [BIN, 'report', 'spend', '--days', '3', '--by', by, '--html', file, '--json'], {
    cwd: work,
    env,
    timeoutMs: 60_000,
  });
  expect(r.stderr).toContain(`wrote ${file}`);
  expect(r.code).toBe(0);
  return { file, stderr: r.stderr, report: JSON.parse(r.stdout) as { rows: Array<{ key: string; name: string }> } };
}

/**
 * Opens a file with the hostile markup's target exposed; returns what the page did: calls to `pwned`, dialogs,
 * console messages (a blocked inline script is one), requests, and the elements no report has.
 */
async function open(file: string) {
  const page = await context!.newPage();
  const calls: string[] = [];
  const dialogs: string[] = [];
  const consoleMessages: string[] = [];
  const requests: string[] = [];
  await page.exposeBinding(PWNED, (_source, field: string) => void calls.push(field));
  page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
  page.on('console', (m) => void consoleMessages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => void consoleMessages.push(`pageerror: ${e.message}`));
  page.on('request', (req) => void requests.push(req.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  // Any image error handler would have fired by now; give a script one more task to run anyway.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  const dom = await page.evaluate(() => ({
    foreign: [...document.querySelectorAll('img, script, iframe, object, embed, textarea, base, form, link')].map(
      (e) => e.tagName,
    ),
    svgs: document.querySelectorAll('svg').length,
    legend: [...document.querySelectorAll('ul.legend li')].map((li) => li.textContent),
    swatches: [...document.querySelectorAll('ul.legend .swatch')].map((s) => getComputedStyle(s).backgroundColor),
    fills: [...document.querySelectorAll('svg g.series')].map((g) => getComputedStyle(g).fill),
    seriesKeys: [...document.querySelectorAll('svg g.series')].map((g) => g.getAttribute('data-key')),
    seriesNames: [...document.querySelectorAll('svg g.series')].map((g) => g.getAttribute('data-name')),
    barTitles: [...document.querySelectorAll('svg g.series rect title')].map((t) => t.textContent),
    cells: [...document.querySelectorAll('table#top tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    ),
    footer: [...document.querySelectorAll('table#top tfoot td')].map((td) => td.textContent),
    total: document.querySelector('#total')?.textContent,
    h1FontSize: getComputedStyle(document.querySelector('h1')!).fontSize,
  }));
  await page.close();
  return { calls, dialogs, consoleMessages, requests, dom };
}

const nothingRan = (seen: Awaited<ReturnType<typeof open>>, file: string) => {
  expect(seen.calls).toEqual([]);
  expect(seen.dialogs).toEqual([]);
  expect(seen.requests).toEqual([pathToFileURL(file).href]);
};

describe.each(['project', 'model', 'line_item'])('report spend --by %s from a hostile server', (by) => {
  test('runs no script and shows every hostile value as text', async () => {
    const { file, stderr, report } = await writeReport(by);
    const seen = await open(file);
    nothingRan(seen, file);
    // Escaped, the markup never became elements: not even a blocked attempt for the browser to report.
    expect(seen.consoleMessages).toEqual([]);
    expect(seen.dom.foreign).toEqual([]);
    // The spend chart and, the range ending today, the month-to-date chart.
    expect(seen.dom.svgs).toBe(2);
    // The page's own style still applies under its policy (the sheet's hash matches).
    expect(seen.dom.h1FontSize).toBe('20px');
    expect(seen.dom.swatches).toEqual(seen.dom.fills);
    expect(new Set(seen.dom.fills).size).toBe(seen.dom.fills.length);

    // The hostile text itself, character for character, as the report's JSON has it.
    const currency = CURRENCY.toUpperCase();
    expect(seen.dom.total).toBe(`${EXPECTED.totals.cost.toFixed(2)} ${currency}`);
    expect(seen.dom.legend).toEqual(report.rows.map((r) => r.name));
    expect(seen.dom.seriesKeys).toEqual(report.rows.map((r) => r.key));
    expect(seen.dom.seriesNames).toEqual(report.rows.map((r) => r.name));
    expect(seen.dom.barTitles.length).toBeGreaterThan(0);
    for (const title of seen.dom.barTitles) expect(title.endsWith(` ${currency}`)).toBe(true);
    const names = seen.dom.cells.map((row) => row[0]);
    if (by === 'project') {
      expect(names).toEqual([HOSTILE_PROJECT_NAME, PLAIN_PROJECT.name]);
      expect(seen.dom.cells.map((row) => row[1])).toEqual([HOSTILE_PROJECT_ID, PLAIN_PROJECT.id]);
      // Requests, input and output tokens (after cost, previous, change, change %): numbers the counters strings
      // added up to ("5" + "5" is 10, not "055").
      const counters = (c: { requests: number; input_tokens: number; output_tokens: number }) =>
        [c.requests, c.input_tokens, c.output_tokens].map((n) => n.toLocaleString('en-US'));
      expect(seen.dom.cells.map((row) => row.slice(6, 9))).toEqual([
        counters(EXPECTED.hostile),
        counters(EXPECTED.plain),
      ]);
      expect(seen.dom.footer.slice(6, 9)).toEqual(counters(EXPECTED.totals));
    } else if (by === 'model') {
      expect(names).toEqual(expect.arrayContaining([HOSTILE_LINE_ITEM, HOSTILE_MODEL]));
    } else {
      expect(names).toEqual(expect.arrayContaining([HOSTILE_LINE_ITEM]));
    }
    // What the client refused, it said, naming the field.
    expect(stderr).toContain('amount.value is not a number');
    if (by !== 'line_item') {
      expect(stderr).toContain("a row's input_tokens is not a number");
      expect(stderr).toContain("a row's output_tokens is not a number");
    }
  });
});

test('the escaping holds on its own: the page without its Content-Security-Policy runs nothing either', async () => {
  const { file } = await writeReport('project');
  const bare = join(work, 'report-without-csp.html');
  const text = readFileSync(file, 'utf8');
  const stripped = text.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n/, '');
  expect(stripped).not.toBe(text);
  writeFileSync(bare, stripped);
  const seen = await open(bare);
  nothingRan(seen, bare);
  expect(seen.consoleMessages).toEqual([]);
  expect(seen.dom.foreign).toEqual([]);
});

test('the policy holds on its own: markup planted as if an escape were missed runs nothing and fetches nothing', async () => {
  const { file } = await writeReport('project');
  const planted = join(work, 'report-planted.html');
  const markup =
    `<img src="x" onerror="${PWNED}('img')"><script>${PWNED}('script')</script>` +
    `<svg><a href="javascript:${PWNED}('href')"><text y="20">link</text></a></svg>` +
    `<iframe src="javascript:${PWNED}('iframe')"></iframe><link rel="stylesheet" href="https://example.invalid/x.css">` +
    `<div style="color: red" id="planted-style">styled?</div>`;
  writeFileSync(planted, readFileSync(file, 'utf8').replace('<h1>', `${markup}<h1>`));
  const page = await context!.newPage();
  const calls: string[] = [];
  const dialogs: string[] = [];
  const requests: Request[] = [];
  await page.exposeBinding(PWNED, (_source, field: string) => void calls.push(field));
  page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
  page.on('request', (req) => void requests.push(req));
  const violations: string[] = [];
  page.on('console', (m) => void violations.push(m.text()));
  await page.goto(pathToFileURL(planted).href, { waitUntil: 'load' });
  await page.click('svg a'); // a javascript: link, clicked, runs nothing either
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  const styles = await page.evaluate(() => ({
    planted: getComputedStyle(document.getElementById('planted-style')!).color,
    h1: getComputedStyle(document.querySelector('h1')!).fontSize,
  }));
  expect(calls).toEqual([]);
  expect(dialogs).toEqual([]);
  // Nothing but the page itself was loaded: whatever else was asked for, the policy refused before it left
  // (response() settles when a request has an outcome: a handshake, not a wait).
  const outcomes = await Promise.all(
    requests.map(async (req) => [req.url(), (await req.response()) ? 'loaded' : req.failure()?.errorText]),
  );
  expect(outcomes).toEqual(
    expect.arrayContaining([
      [pathToFileURL(planted).href, 'loaded'],
      ['https://example.invalid/x.css', 'csp'],
    ]),
  );
  for (const [url, outcome] of outcomes) if (url !== pathToFileURL(planted).href) expect(outcome).toBe('csp');
  await page.close();
  expect(violations.some((v) => /Content Security Policy/.test(v))).toBe(true);
  expect(styles).toEqual({ planted: 'rgb(31, 35, 40)', h1: '20px' }); // the planted style attribute is refused
});
