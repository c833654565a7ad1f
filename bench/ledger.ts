/**
 * `npx tsx bench/ledger.ts [--quick] [--projects N] [--daily-days D] [--minute-days D] [--max-response-mb M]`: the
 * ledger's backfill and the exporter's scrape at scale, against a synthetic usage/costs server on 127.0.0.1 (every
 * project uses MODELS_PER_PROJECT of the models each day; in minute buckets one project in ten is active each
 * minute). Issue 19's shape is the default: one year of daily and 30 days of minute usage for 2,000 projects and 20
 * models (about 10 million daily and 104 million minute rows); the flags scale it down. Measures: requests against
 * the minimum (pages the range needs at the API's largest page; a page over the client's maxResponseBytes, 64 MB
 * unless --max-response-mb says otherwise, is halved by the sync and counted in page_halvings), backfill time and
 * rows a second against the rate-limit floor (7 requests a minute per route, the live API's observed limit), store
 * size and bytes a row, scrape time (the exporter's /metrics text: running totals plus the trailing window) next to
 * the time of summing every row (what a scrape cost before running totals), the scrape after a later sync that
 * re-read the window, and the memory of a separate exporter process after scraping.
 * Writes bench/results/ledger.json (ledger-quick.json with --quick, ledger-<projects>p.json for other sizes;
 * -<M>mb before .json with --max-response-mb). No thresholds: figures for the issue's closing note.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OpenAIAdmin } from '../src/index.js';
import { metricsText, openLedger, syncLedger } from '../src/ledger/index.js';

const quick = process.argv.includes('--quick');
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PROJECTS = flag('--projects', quick ? 50 : 2_000);
const DAILY_DAYS = flag('--daily-days', 365);
const MINUTE_DAYS = flag('--minute-days', quick ? 3 : 30);
/** The client's maxResponseBytes in MB (default: the client's own, 64 MB; larger pages need fewer requests). */
const MAX_RESPONSE_MB = flag('--max-response-mb', 0);
const MODELS = 20;
const MODELS_PER_PROJECT = 2;
const DAY = 86_400;
const NOW = Date.UTC(2026, 10, 1) / 1000;
const RPM_FLOOR = 7;

let requests = 0;
const server = createServer((req, res) => {
  requests++;
  const url = new URL(req.url ?? '/', 'http://x');
  const q = url.searchParams;
  const path = url.pathname.replace(/^\/v1/, '');
  if (path === '/organization/projects') {
    const after = Number((q.get('after') ?? 'proj_-1').slice(5));
    const data = [];
    for (let i = after + 1; i < PROJECTS && data.length < 100; i++)
      data.push({
        object: 'organization.project',
        id: `proj_${i}`,
        name: `Project ${i}`,
        created_at: 0,
        status: 'active',
      });
    const more = data.length > 0 && after + 1 + data.length < PROJECTS;
    return void res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ object: 'list', data, first_id: data[0]?.id, last_id: data.at(-1)?.id, has_more: more }));
  }
  const width = { '1m': 60, '1h': 3_600, '1d': DAY }[q.get('bucket_width') ?? '1d']!;
  const start = Number(q.get('page') ?? q.get('start_time'));
  const end = Number(q.get('end_time'));
  const limit = Number(q.get('limit'));
  const costs = path === '/organization/costs';
  const completions = path === '/organization/usage/completions';
  const data = [];
  let s = start;
  for (; s < end && data.length < limit; s += width) {
    const results = [];
    // Minute buckets: one request in ten minutes per project (sparse, as real minute data is).
    const active = (p: number) => width === DAY || (s / 60 + p) % 10 === 0;
    if (costs || completions)
      for (let p = 0; p < PROJECTS; p++) {
        if (!active(p)) continue;
        for (let k = 0; k < MODELS_PER_PROJECT; k++) {
          const model = `model-${(p + k * 7) % MODELS}`;
          results.push(
            costs
              ? {
                  object: 'organization.costs.result',
                  amount: { value: 0.001 * (k + 1), currency: 'usd' },
                  line_item: `${model}, input`,
                  project_id: `proj_${p}`,
                }
              : {
                  object: 'organization.usage.completions.result',
                  project_id: `proj_${p}`,
                  model,
                  input_tokens: 100 + k,
                  output_tokens: 10,
                  num_model_requests: 1,
                  input_cached_tokens: 0,
                  input_audio_tokens: 0,
                  output_audio_tokens: 0,
                  batch: null,
                  service_tier: null,
                },
          );
        }
      }
    data.push({ object: 'bucket', start_time: s, end_time: s + width, results });
  }
  const more = s < end;
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ object: 'page', data, has_more: more, next_page: more ? String(s) : null }));
});

/** The median of three timed runs, in ms (two noisy shared cores: one run is an anecdote). */
async function median3(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1];
}

async function main() {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  const admin = new OpenAIAdmin({
    apiKey: 'sk-admin-bench-ledger',
    baseURL: url,
    ...(MAX_RESPONSE_MB > 0 ? { maxResponseBytes: MAX_RESPONSE_MB * 1024 * 1024 } : {}),
  });
  const dir = mkdtempSync(join(tmpdir(), 'openai-admin-bench-ledger-'));
  const full = PROJECTS === 2_000 && DAILY_DAYS === 365 && MINUTE_DAYS === 30;
  const results: Record<string, unknown> = {
    mode: quick ? 'quick' : full ? 'full' : 'scaled down',
    projects: PROJECTS,
    models: MODELS,
    max_response_mb: MAX_RESPONSE_MB || 64,
  };
  try {
    for (const [label, width, days] of [
      [`daily, ${DAILY_DAYS} days`, '1d', DAILY_DAYS],
      [`minute, ${MINUTE_DAYS} days`, '1m', MINUTE_DAYS],
    ] as const) {
      const file = join(dir, `${width}.db`);
      const store = await openLedger(file);
      requests = 0;
      const t0 = performance.now();
      // Pages over the client's default maxResponseBytes (64 MB) that the sync asked again with half the buckets.
      let halvings = 0;
      const r = await syncLedger(admin, store, {
        since: NOW - days * DAY,
        bucketWidth: width,
        series: ['usage.completions', 'costs'],
        now: () => NOW - 1,
        warn: (m) => void (/maxResponseBytes/.test(m) && halvings++),
      });
      const seconds = (performance.now() - t0) / 1000;
      const backfillRequests = requests;
      const perPage = width === '1d' ? 31 : 1440;
      const minimum =
        Math.ceil(days / (width === '1d' ? 31 : 1)) * (width === '1d' ? 1 : Math.ceil(1440 / perPage)) +
        Math.ceil(days / 180) +
        Math.ceil(PROJECTS / 100);
      const text = await metricsText(store, NOW);
      const scrapeMs = await median3(() => metricsText(store, NOW));
      // What every scrape cost before running totals: a SUM over every row of the ledger.
      const sumEveryRowMs = await median3(() =>
        store.totals({ from: Number.MIN_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER }),
      );
      // A later sync (the exporter's loop) re-reads the trailing window; the scrape after it reads the new totals.
      const later = NOW - 1 + (width === '1d' ? DAY : 20 * 60);
      await syncLedger(admin, store, {
        bucketWidth: width,
        series: ['usage.completions', 'costs'],
        now: () => later,
        namesEvery: 10 * DAY,
      });
      const after = await metricsText(store, later);
      const scrapeAfterSyncMs = await median3(() => metricsText(store, later));
      if (after.split('\n').length !== text.split('\n').length) throw new Error('the scrape after a sync lost series');
      await store.close();
      // The exporter's memory: a process that only opens the ledger and scrapes it (not this one, which backfilled).
      const exporter = JSON.parse(
        (
          await promisify(execFile)(
            process.execPath,
            ['--import', 'tsx', join(import.meta.dirname, 'ledger-scrape.ts'), file, String(later)],
            { cwd: join(import.meta.dirname, '..') },
          )
        ).stdout,
      ) as { scrape_ms: number; rss_mb: number; heap_mb: number };
      // The floor: each route's requests at 7 a minute, routes in turn (a sync walks series one after the other).
      const floor = r.series.reduce((s, x) => s + Math.max(0, x.requests - 1) * (60 / RPM_FLOOR), 0);
      results[label] = {
        requests: backfillRequests, // as the server counted them (the sync reports the same: r.requests)
        minimum,
        page_halvings: halvings,
        rows: r.series.reduce((s, x) => s + x.rows, 0),
        store_bytes_per_row: Math.round((statSync(file).size / r.series.reduce((s, x) => s + x.rows, 0)) * 10) / 10,
        rows_per_second: Math.round(r.series.reduce((s, x) => s + x.rows, 0) / seconds),
        backfill_seconds: Math.round(seconds * 10) / 10,
        rate_limit_floor_seconds: Math.round(floor),
        store_mb: Math.round((statSync(file).size / 1e6) * 10) / 10,
        scrape_ms: Math.round(scrapeMs),
        sum_every_row_ms: Math.round(sumEveryRowMs),
        scrape_after_resync_ms: Math.round(scrapeAfterSyncMs),
        metrics_lines: text.split('\n').length,
        rss_mb_after_scrape: Math.round(process.memoryUsage().rss / 1e6),
        exporter_process: exporter,
      };
      process.stderr.write(`${label}: ${JSON.stringify(results[label])}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    server.close();
  }
  const out = join(
    import.meta.dirname,
    'results',
    `${quick ? 'ledger-quick' : full ? 'ledger' : `ledger-${PROJECTS}p`}${MAX_RESPONSE_MB ? `-${MAX_RESPONSE_MB}mb` : ''}.json`,
  );
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
}

void main();
