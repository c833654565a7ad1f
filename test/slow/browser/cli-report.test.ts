/**
 * `openai-admin report spend --html` opened in Debian's Chromium (playwright-core, file:// URL, offline):
 * the built bin writes the page from an emulator's costs; the page loads with no network request, its SVG
 * holds one stacked series per project whose bars carry the same daily values as the report's JSON, and a
 * screenshot is saved to test-results/cli-spend-report.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { OKABE_ITO } from '../../../src/cli/workflows/spend-html';
import { startEmulator, type Emulator } from '../../../src/testing/index';
import { ROOT } from '../../support/paths';
import { run } from '../../support/processes';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';

const BIN = join(ROOT, 'dist', 'esm', 'src', 'cli', 'bin.js');
export const SCREENSHOT = join(ROOT, 'test-results', 'cli-spend-report.png');

let emu: Emulator;
let context: BrowserContext | undefined;
let work: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error('dist/esm is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  emu = await startEmulator({ seed: 'cli-report', projects: 5 });
  work = mkdtempSync(join(tmpdir(), 'openai-admin-report-'));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1000, height: 900 },
    timeout: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await emu?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the spend report opens offline and its SVG shows every project, stacked, with the report numbers', async () => {
  const file = join(work, 'report.html');
  const env = { PATH: process.env.PATH, OPENAI_ADMIN_KEY: 'sk-admin-browser', OPENAI_BASE_URL: emu.url };
  const r = await run(process.execPath, [BIN, 'report', 'spend', '--days', '30', '--html', file, '--json'], {
    cwd: work,
    env,
    timeoutMs: 60_000,
  });
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as {
    rows: Array<{ key: string; name: string; daily: number[] }>;
    dates: string[];
    totals: { daily: number[] };
  };
  expect(report.rows).toHaveLength(5);

  const page = await context!.newPage();
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(pathToFileURL(file).href);
  expect(requests).toEqual([pathToFileURL(file).href]); // self-contained: nothing else is fetched

  const chart = await page.evaluate(() => {
    const svg = document.querySelector('svg#daily-spend')!;
    const box = svg.getBoundingClientRect();
    return {
      width: box.width,
      height: box.height,
      series: [...svg.querySelectorAll('g.series')].map((g) => ({
        key: g.getAttribute('data-key'),
        fill: getComputedStyle(g).fill,
        bars: [...g.querySelectorAll('rect')].map((rect) => ({
          date: rect.getAttribute('data-date'),
          value: Number(rect.getAttribute('data-value')),
          height: rect.getBoundingClientRect().height,
          top: rect.getBoundingClientRect().top,
          bottom: rect.getBoundingClientRect().bottom,
        })),
      })),
      legend: [...document.querySelectorAll('ul.legend li')].map((li) => li.textContent),
      unit: svg.querySelector('text.unit')?.textContent,
      partialBars: [...svg.querySelectorAll('rect.partial')].map((rect) => rect.getAttribute('data-date')),
      monthChart: document.querySelector('svg#month-to-date polyline.forecast') !== null,
      tableRows: document.querySelectorAll('table#top tbody tr').length,
    };
  });
  expect(chart.width).toBeGreaterThan(500);
  expect(chart.height).toBeGreaterThan(200);
  expect(chart.series.map((s) => s.key)).toEqual(report.rows.map((row) => row.key));
  expect(new Set(chart.series.map((s) => s.fill)).size).toBe(5); // one colour per project
  // Okabe–Ito, in order: colour-blind-safe.
  const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
  expect(chart.series.map((s) => s.fill)).toEqual(OKABE_ITO.slice(0, 5).map(rgb));
  expect(chart.unit).toBe('USD/day');
  // The range ends today: its bars are marked partial, and the month so far is drawn with its forecast.
  expect(new Set(chart.partialBars)).toEqual(new Set([report.dates.at(-1)]));
  expect(chart.monthChart).toBe(true);
  expect(chart.legend).toEqual(report.rows.map((row) => row.name));
  expect(chart.tableRows).toBe(5);
  chart.series.forEach((s, i) => {
    const expected = report.dates
      .map((d, j) => ({ date: d, value: report.rows[i].daily[j] }))
      .filter((b) => b.value > 0);
    expect(s.bars.map(({ date, value }) => ({ date, value }))).toEqual(expected);
    for (const bar of s.bars) expect(bar.height).toBeGreaterThan(0);
  });
  // Stacked: on each day, each series' bar sits on top of the previous series' bar.
  for (const date of report.dates) {
    const column = chart.series.map((s) => s.bars.find((b) => b.date === date)).filter((b) => b !== undefined);
    for (let k = 1; k < column.length; k++) expect(column[k].bottom).toBeCloseTo(column[k - 1].top, 0);
  }

  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(existsSync(SCREENSHOT)).toBe(true);
});
