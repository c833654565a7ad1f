/**
 * The ledger on its real stores — SQLite through better-sqlite3 and Debian's Postgres started here — against an
 * upstream that revises closed buckets and reports costs a day late (support/revising-upstream.ts). What must hold:
 * - once nothing changes upstream any more, the ledger equals the final truth to the token and the micro-dollar,
 *   however the syncs fell (0 double counts, 0 misses); a ledger that trusts a bucket as soon as it closes does not;
 * - the real bin SIGKILLed at any kill point (a handshake: it kills itself there), then run again, leaves the very
 *   ledger an uninterrupted run leaves; so do two runs at once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAIAdmin } from '../../../src/index.js';
import { openLedger, syncLedger, type LedgerStore } from '../../../src/ledger/index.js';
import { bundleCli, cleanEnv, type CliRun } from '../../cli/support';
import { ROOT } from '../../support/paths';
import { stopProcess, track } from '../../support/processes';
import { ledgerDatabases, startPostgres, testClock, type Postgres } from './support/components';
import { dumpLedger } from './support/ledger-dump';
import { startRevisingUpstream, workload, type RevisingUpstream } from './support/revising-upstream';

jest.setTimeout(300_000);

const KEY = 'sk-admin-ledger-test-0a1b2c3d';
const DAY = 86_400;
/** 2026-11-01T00:00Z: the workload's first day. */
const START = Date.UTC(2026, 10, 1) / 1000;
const DAYS = 3;

let tmp: string;
let bundle: ReturnType<typeof bundleCli>;
let pg: Postgres | undefined;
let databases = 0;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'openai-admin-ledger-'));
  bundle = bundleCli();
  pg = await startPostgres();
  freshDb = ledgerDatabases(tmp, pg);
}, 180_000);

afterAll(async () => {
  await pg?.stop();
  bundle?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A fresh, empty ledger of the given kind: a new SQLite file, or a new database on the test's Postgres. */
let freshDb: (kind: 'sqlite' | 'postgres') => Promise<string>;

function bin(args: string[], env: Record<string, string>): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [bundle.bin, ...args], {
        cwd: ROOT,
        env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, ...env }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // A safety net only: no assertion depends on time.
    const timer = setTimeout(() => void stopProcess(child, 1_000), 120_000);
    child.once('error', reject);
    child.once('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout, stderr })));
  });
}

interface World {
  upstream: RevisingUpstream;
  clock: ReturnType<typeof testClock>;
  clockFile: string;
  env: Record<string, string>;
}

async function world(): Promise<World> {
  const clockFile = join(tmp, `clock-${++databases}`);
  const clock = testClock(clockFile, START + 3_600);
  const upstream = await startRevisingUpstream(clock.now, workload(START, DAYS));
  return {
    upstream,
    clock,
    clockFile,
    env: { OPENAI_BASE_URL: `${upstream.url}/v1`, OPENAI_ADMIN_TEST_CLOCK: clockFile },
  };
}

const SERIES = ['usage.completions', 'costs'];

/** The bin's arguments for a minute-bucket backfill of `db` from the workload's first day. */
const backfill = (db: string) => [
  'ledger',
  'sync',
  '--db',
  db,
  '--since',
  '2026-11-01',
  '--bucket-width',
  '1m',
  '--series',
  SERIES.join(','),
];

/** Sums of the ledger as the exporter and reports read them. */
async function ledgerTotals(store: LedgerStore) {
  const totals = await store.totals();
  const sum = (series: string, metric: string) =>
    totals.filter((t) => t.series === series && t.metric === metric).reduce((s, t) => s + t.value, 0);
  return {
    input_tokens: sum('usage.completions', 'input_tokens'),
    output_tokens: sum('usage.completions', 'output_tokens'),
    num_model_requests: sum('usage.completions', 'num_model_requests'),
    cost_micros: Math.round(sum('costs', 'amount') * 1e6),
  };
}

describe.each(['sqlite', 'postgres'] as const)('the ledger on %s', (kind) => {
  test('syncs every 2 h 5 min while closed buckets are revised: in the end it equals the final truth, to the token and the micro-dollar', async () => {
    const w = await world();
    const db = await freshDb(kind);
    const store = await openLedger(db);
    const admin = new OpenAIAdmin({ apiKey: KEY, baseURL: `${w.upstream.url}/v1` });
    let sawRevisable = false;
    try {
      for (let t = START + 3_600; t <= START + (DAYS + 3) * DAY; t += 2 * 3_600 + 300) {
        w.clock.set(t);
        await syncLedger(admin, store, { since: START, bucketWidth: '1h', series: SERIES, now: w.clock.now });
        sawRevisable ||= (await store.rows('usage.completions')).some((r) => r.final === 0 && r.value > 0);
      }
      const truth = w.upstream.truth();
      expect(sawRevisable).toBe(true);
      expect(await ledgerTotals(store)).toEqual({
        input_tokens: truth.input_tokens,
        output_tokens: truth.output_tokens,
        num_model_requests: truth.num_model_requests,
        cost_micros: truth.cost_micros,
      });
      expect((await store.rows()).every((r) => r.final === 1)).toBe(true);
    } finally {
      await store.close();
      await w.upstream.close();
    }
  });

  test('report spend --db answers from the ledger with no key and no request, equal to the truth, and says how fresh it is', async () => {
    const w = await world();
    const db = await freshDb(kind);
    const store = await openLedger(db);
    const admin = new OpenAIAdmin({ apiKey: KEY, baseURL: `${w.upstream.url}/v1` });
    try {
      w.clock.set(START + (DAYS + 3) * DAY);
      await syncLedger(admin, store, { since: START, bucketWidth: '1h', series: SERIES, now: w.clock.now });
      const requests = w.upstream.count();
      // No OPENAI_ADMIN_KEY and no base URL: a request could not even be made.
      const out = await bin(['report', 'spend', '--db', db, '--days', '7', '--json'], {
        OPENAI_ADMIN_TEST_CLOCK: w.clockFile,
      });
      expect(out.code).toBe(0);
      const report = JSON.parse(out.stdout) as {
        totals: { cost: number; input_tokens: number };
        rows: Array<{ name: string }>;
      };
      const truth = w.upstream.truth();
      expect(Math.round(report.totals.cost * 100)).toBe(Math.round(truth.cost_micros / 1e4));
      expect(report.totals.input_tokens).toBe(truth.input_tokens);
      expect(report.rows.map((r) => r.name).sort()).toEqual(['Alpha', 'Beta "quoted"', 'Gamma']);
      expect(out.stderr).toMatch(
        /^from the ledger .*: costs synced 0 min ago, usage synced 0 min ago; costs final up to 2026-11-0\d \(no request made\)\n$/,
      );
      expect(w.upstream.count()).toBe(requests);
    } finally {
      await store.close();
      await w.upstream.close();
    }
  });

  test.each([['after-fetch@2'], ['after-commit@2'], ['after-fetch@4'], ['after-commit@5']])(
    'the bin SIGKILLed %s of a backfill, then run again: the same ledger as one uninterrupted run',
    async (point) => {
      const w = await world();
      w.clock.set(START + DAYS * DAY + 5 * 3_600);
      const reference = await freshDb(kind);
      const crashed = await freshDb(kind);
      try {
        const ok = await bin(backfill(reference), w.env);
        // Only the summary's title (on stderr when stdout is not a terminal): no warning, no error.
        expect(ok.stderr).toMatch(/^(ledger .*: \d+ requests\n)?$/);
        expect(ok.code).toBe(0);
        const killed = await bin(backfill(crashed), { ...w.env, OPENAI_ADMIN_TEST_CRASH_AT: point });
        expect(killed.signal).toBe('SIGKILL');
        const resumed = await bin(backfill(crashed), w.env);
        expect(resumed.code).toBe(0);
        const [a, b] = [await dumpLedger(reference), await dumpLedger(crashed)];
        expect([b.rows.length > 100, b.totals.length > 0]).toEqual([true, true]);
        expect(b).toEqual(a);
      } finally {
        await w.upstream.close();
      }
    },
  );

  test('two bins syncing one ledger at once leave the same ledger as one', async () => {
    const w = await world();
    w.clock.set(START + DAYS * DAY + 5 * 3_600);
    const reference = await freshDb(kind);
    const shared = await freshDb(kind);
    try {
      expect((await bin(backfill(reference), w.env)).code).toBe(0);
      const both = await Promise.all([bin(backfill(shared), w.env), bin(backfill(shared), w.env)]);
      // Both succeed, with only the summary's title on stderr (stdout is not a terminal): no warning, no error.
      for (const r of both)
        expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/^(ledger .*: \d+ requests\n)?$/)]);
      expect(await dumpLedger(shared)).toEqual(await dumpLedger(reference));
    } finally {
      await w.upstream.close();
    }
  });
});

test('a ledger that trusts a bucket as soon as it closes (grace 0) ends below the truth: the revisions are real', async () => {
  const w = await world();
  const store = await openLedger(await freshDb('sqlite'));
  const admin = new OpenAIAdmin({ apiKey: KEY, baseURL: `${w.upstream.url}/v1` });
  try {
    for (let t = START + 3_600; t <= START + (DAYS + 3) * DAY; t += 2 * 3_600 + 300) {
      w.clock.set(t);
      await syncLedger(admin, store, {
        since: START,
        bucketWidth: '1h',
        series: SERIES,
        usageGrace: 0,
        costsGrace: 0,
        now: w.clock.now,
      });
    }
    const got = await ledgerTotals(store);
    const truth = w.upstream.truth();
    expect(got.input_tokens).toBeLessThan(truth.input_tokens);
    expect(got.cost_micros).toBeLessThan(truth.cost_micros);
  } finally {
    await store.close();
    await w.upstream.close();
  }
});

test('a backfill of a year makes the fewest requests: one per page of 31 usage days or 180 cost days, one for the names', async () => {
  const w = await world();
  const store = await openLedger(await freshDb('sqlite'));
  const admin = new OpenAIAdmin({ apiKey: KEY, baseURL: `${w.upstream.url}/v1` });
  try {
    w.clock.set(START + 365 * DAY - 1);
    const result = await syncLedger(admin, store, { since: START, series: SERIES, now: w.clock.now });
    // 365 days: ceil(365 / 31) = 12 usage pages, ceil(365 / 180) = 3 cost pages, 1 page of projects.
    expect([w.upstream.count('/organization/usage/completions'), w.upstream.count('/organization/costs')]).toEqual([
      12, 3,
    ]);
    expect(result.requests).toBe(12 + 3 + 1);
    expect(w.upstream.count()).toBe(result.requests);
    // The next sync reads only the trailing window: one page per series, no names (read within the hour).
    w.clock.set(START + 365 * DAY + 600);
    expect((await syncLedger(admin, store, { series: SERIES, now: w.clock.now })).requests).toBe(2);
  } finally {
    await store.close();
    await w.upstream.close();
  }
});

test('without better-sqlite3 installed, ledger sync says what to install and sends nothing', async () => {
  const w = await world();
  const elsewhere = mkdtempSync(join(tmpdir(), 'openai-admin-no-driver-'));
  try {
    const child = await new Promise<CliRun>((resolve) => {
      const c = track(
        spawn(process.execPath, [bundle.bin, 'ledger', 'sync', '--db', join(elsewhere, 'x.db')], {
          cwd: elsewhere,
          env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, ...w.env }),
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
      let stdout = '';
      let stderr = '';
      c.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      c.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      c.once('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(child.code).toBe(2);
    expect(child.stderr).toMatch(/needs the optional package better-sqlite3.*npm install better-sqlite3@12/);
    expect(child.stderr).not.toContain(KEY);
    expect(w.upstream.count()).toBe(0);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
    await w.upstream.close();
  }
});
