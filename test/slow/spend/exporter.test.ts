/**
 * The exporter scraped by Debian's Prometheus while the upstream revises closed buckets and reports costs a day
 * late, and while the exporter is SIGKILLed and restarted (once between syncs, once in the middle of one): the
 * totals PromQL returns equal the upstream's final truth to the token and the cent. Then every query of the
 * Grafana dashboard (docs/grafana) runs against that Prometheus, and scrapes are shown never to call the API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli, cleanEnv } from '../../cli/support';
import { freePort } from '../../support/local-server';
import { ROOT } from '../../support/paths';
import { stopProcess, track } from '../../support/processes';
import { startPrometheus, testClock, type Prometheus } from './support/components';
import { startRevisingUpstream, workload, type RevisingUpstream } from './support/revising-upstream';

jest.setTimeout(600_000);

const KEY = 'sk-admin-exporter-test-4e5f6a7b';
const DAY = 86_400;
const START = Date.UTC(2026, 10, 1) / 1000;
const DAYS = 3;
/** Bounded handshakes: polls of a condition, never a duration asserted. */
const MAX_POLLS = 3_000;
const pause = () => new Promise((r) => setTimeout(r, 100));

let tmp: string;
let bundle: ReturnType<typeof bundleCli>;
let upstream: RevisingUpstream;
let clock: ReturnType<typeof testClock>;
let prometheus: Prometheus | undefined;
let port: number;
let child: ChildProcess | undefined;
let db: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'openai-admin-exporter-'));
  bundle = bundleCli();
  clock = testClock(join(tmp, 'clock'), START + 3_600);
  upstream = await startRevisingUpstream(clock.now, workload(START, DAYS));
  port = await freePort();
  db = join(tmp, 'ledger.db');
}, 120_000);

afterAll(async () => {
  if (child) await stopProcess(child);
  await prometheus?.stop();
  await upstream?.close();
  bundle?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function startExporterBin(extra: Record<string, string> = {}, interval = '1'): ChildProcess {
  const c = track(
    spawn(
      process.execPath,
      [
        bundle.bin,
        'exporter',
        '--db',
        db,
        '--port',
        String(port),
        '--interval',
        interval,
        '--since',
        '2026-11-01',
        '--bucket-width',
        '1h',
        '--series',
        'usage.completions,costs',
      ],
      {
        cwd: ROOT,
        env: cleanEnv({
          OPENAI_ADMIN_KEY: KEY,
          OPENAI_BASE_URL: `${upstream.url}/v1`,
          OPENAI_ADMIN_TEST_CLOCK: join(tmp, 'clock'),
          ...extra,
        }),
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    ),
  );
  return c;
}

async function metrics(): Promise<string | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

const lastSync = (text: string | undefined, series: string) =>
  Number(
    new RegExp(`openai_admin_ledger_last_sync_timestamp_seconds\\{series="${series}"\\} (\\d+)`).exec(
      text ?? '',
    )?.[1] ?? -1,
  );

/** Waits (bounded) until the exporter has committed a sync of both series at clock `t` or later. */
async function syncedAt(t: number): Promise<void> {
  for (let i = 0; i < MAX_POLLS; i++) {
    const text = await metrics();
    if (lastSync(text, 'costs') >= t && lastSync(text, 'usage.completions') >= t) return;
    await pause();
  }
  throw new Error(`the exporter did not sync at ${t}`);
}

const killNow = async (c: ChildProcess) => {
  const exited = new Promise((r) => c.once('exit', r));
  process.kill(c.pid!, 'SIGKILL');
  await exited;
};

test('Prometheus totals equal the final truth to the token and the cent, through revisions, late costs and two SIGKILLs', async () => {
  child = startExporterBin();
  await syncedAt(clock.now());
  prometheus = await startPrometheus(`127.0.0.1:${port}`);
  let step = 0;
  for (let t = START + 3_600; t <= START + (DAYS + 3) * DAY; t += 3 * 3_600 + 420) {
    clock.set(t);
    step++;
    if (step === 10) {
      // Killed between syncs, restarted on the same port: the counters come back from the ledger as they were.
      await killNow(child);
      child = startExporterBin();
    }
    if (step === 20) {
      // Killed in the middle of a sync (after the second chunk was read, before it was committed), then restarted.
      await killNow(child);
      const dying = startExporterBin({ OPENAI_ADMIN_TEST_CRASH_AT: 'after-fetch@2' });
      const died = await new Promise<NodeJS.Signals | null>((r) => dying.once('exit', (_c, s) => r(s)));
      expect(died).toBe('SIGKILL');
      child = startExporterBin();
    }
    await syncedAt(t);
  }
  const final = clock.now();
  // Prometheus has scraped the final state once it reports the final sync's timestamp.
  let scraped = false;
  for (let i = 0; i < MAX_POLLS && !scraped; i++) {
    const r = await prometheus.query('min(openai_admin_ledger_last_sync_timestamp_seconds)');
    scraped = Number(r[0]?.value[1]) >= final;
    if (!scraped) await pause();
  }
  expect(scraped).toBe(true);

  const truth = upstream.truth();
  const scalar = async (expr: string) => Number((await prometheus!.query(expr))[0]?.value[1]);
  expect(await scalar('sum(openai_admin_usage_input_tokens_total)')).toBe(truth.input_tokens);
  expect(await scalar('sum(openai_admin_usage_output_tokens_total)')).toBe(truth.output_tokens);
  expect(await scalar('sum(openai_admin_usage_num_model_requests_total)')).toBe(truth.num_model_requests);
  expect(Math.round((await scalar('sum(openai_admin_cost_total)')) * 100)).toBe(Math.round(truth.cost_micros / 1e4));
  // By project, under its name (a name with quotes survives the label escaping).
  const byProject = await prometheus.query('sum by (project) (openai_admin_cost_total)');
  const cents = Object.fromEntries(byProject.map((r) => [r.metric.project, Math.round(Number(r.value[1]) * 100)]));
  expect(cents).toEqual(
    Object.fromEntries(
      upstream.projects.map((p) => [p.name, Math.round(truth.byProject.get(p.id)!.cost_micros / 1e4)]),
    ),
  );
  // The re-read window stays bounded: the open bucket plus those within the grace (15 min of 1 h; 2 days of 1 d).
  const window = await prometheus.query('openai_admin_ledger_buckets_not_final');
  expect(
    Object.fromEntries(
      window.map((r) => [r.metric.series, Number(r.value[1]) <= (r.metric.series === 'costs' ? 3 : 2)]),
    ),
  ).toEqual({
    costs: true,
    'usage.completions': true,
  });
});

test('every query of the Grafana dashboard runs on Prometheus, and the data panels return series', async () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'docs', 'grafana', 'openai-admin-spend.json'), 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    templating: { list: Array<{ name: string; definition?: string }> };
  };
  const filled = (expr: string) => expr.replace(/\$__rate_interval/g, '1m').replace(/\$project/g, '.*');
  const answers: Record<string, number> = {};
  for (const panel of dashboard.panels)
    for (const target of panel.targets)
      answers[`${panel.title}: ${target.expr}`] = (await prometheus!.query(filled(target.expr))).length;
  expect(Object.keys(answers).length).toBeGreaterThanOrEqual(8);
  // Every panel answers; those over ledger totals and freshness have data by now (rates may be flat: still series).
  for (const [key, n] of Object.entries(answers)) expect([key, n > 0]).toEqual([key, true]);
  // The project variable's label_values() names a label the exporter really has.
  const variable = dashboard.templating.list.find((v) => v.name === 'project')!;
  const [, metric, label] = /label_values\((\w+), (\w+)\)/.exec(variable.definition!)!;
  expect((await prometheus!.query(`count by (${label}) (${metric})`)).length).toBe(upstream.projects.length);
});

test('a scrape reads the ledger only: no request reaches the API however often Prometheus or a person scrapes', async () => {
  if (child) await killNow(child);
  // A long interval: after its first sync the exporter's loop sleeps, so any request now would be a scrape's.
  child = startExporterBin({}, '3600');
  let healthy = false;
  for (let i = 0; i < MAX_POLLS && !healthy; i++) {
    healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (!healthy) await pause();
  }
  expect(healthy).toBe(true);
  const before = upstream.count();
  for (let i = 0; i < 5; i++) expect(await metrics()).toContain('openai_admin_usage_input_tokens_total{');
  expect(upstream.count()).toBe(before);
});
