/**
 * The ledger's truth invariants against the project's own emulator (src/testing) with the live API's usage quirks
 * (`realism: 'api'`): buckets revised for 15 minutes after they close, costs daily only and a day late, costs
 * grouped by `api_key_id` refused with a 400, and a clock the test moves by hand. On SQLite and on Debian's Postgres:
 * - through syncs every 2 h 5 min, every settled bucket equals `emu.truth()` to the token and the cent, the buckets
 *   still in the re-read window equal the API's latest reading, and the running totals a scrape reads equal both;
 * - a ledger that trusts a bucket as soon as it closes ends below the truth (the quirks bite);
 * - `keys` groups usage by api_key_id and never asks costs for it;
 * - a settled month's costs in the ledger, the FOCUS file of that month and the emulator's truth agree to the cent.
 */
import { fetchFocus, roundDecimal, sumDecimals } from '../../../src/focus/index.js';
import { OpenAIAdmin } from '../../../src/index.js';
import { openLedger, syncLedger, type LedgerStore, type SyncOptions, type Total } from '../../../src/ledger/index.js';
import { manualClock, startEmulator, type Emulator, type ManualClock } from '../../../src/testing/index.js';
import { useLedgerDatabases } from './support/components';

jest.setTimeout(300_000);

const KEY = 'sk-admin-ledger-emulator-9c8d7e6f';
const DAY = 86_400;
const HOUR = 3_600;
/** 2026-11-01T00:00Z. */
const START = Date.UTC(2026, 10, 1) / 1000;
const DAYS = 2;
const COMPLETIONS_GROUPS = ['project_id', 'model', 'batch', 'service_tier'];
const COSTS_GROUPS = ['project_id', 'line_item'];
const SERIES = ['usage.completions', 'costs'];
const TOKENS = ['input_tokens', 'output_tokens', 'num_model_requests'] as const;

const dbs = useLedgerDatabases('openai-admin-ledger-emu-');

interface World {
  emu: Emulator;
  clock: ManualClock;
  admin: OpenAIAdmin;
  /** The emulator's clock in Unix seconds: the ledger's `now`. */
  seconds: () => number;
  store: LedgerStore;
}

async function world(kind: 'sqlite' | 'postgres', startAt = START + HOUR): Promise<World> {
  const clock = manualClock(startAt * 1000);
  const emu = await startEmulator({ seed: 'ledger-truth', realism: 'api', rateLimit: false, now: clock.now });
  const admin = new OpenAIAdmin({ apiKey: KEY, baseURL: emu.url });
  const store = await openLedger(await dbs.freshDb(kind));
  return { emu, clock, admin, seconds: () => Math.floor(clock.now() / 1000), store };
}

const close = async (w: World) => (await w.store.close(), await w.emu.close());

/** Sums of usage counters and of costs (exact decimal text) over buckets, by project too. */
interface Sums {
  tokens: Record<(typeof TOKENS)[number], number>;
  /** Cents, from the exact decimal sum. */
  cents: number;
  centsByProject: Record<string, number>;
  /** The cost amounts summed (exact decimal text), by project, so that Sums add up exactly (none for a ledger's). */
  amountsByProject?: Record<string, string[]>;
}

const cents = (decimals: string[]) => Math.round(Number(roundDecimal(sumDecimals(decimals), 2)) * 100);

function sums(
  usage: Array<{ results: Array<Record<string, unknown>> }>,
  costs: Array<{ results: Array<Record<string, unknown>> }>,
): Sums {
  const tokens = Object.fromEntries(
    TOKENS.map((m) => [m, usage.flatMap((b) => b.results).reduce((s, r) => s + Number(r[m] ?? 0), 0)]),
  ) as Sums['tokens'];
  const amounts = costs.flatMap((b) => b.results) as Array<{ project_id: string; amount: { value: string | number } }>;
  const byProject = new Map<string, string[]>();
  for (const r of amounts)
    byProject.set(r.project_id, [...(byProject.get(r.project_id) ?? []), String(r.amount.value)]);
  return withCents(tokens, Object.fromEntries(byProject));
}

const withCents = (tokens: Sums['tokens'], amountsByProject: Record<string, string[]>): Sums => ({
  tokens,
  cents: cents(Object.values(amountsByProject).flat()),
  centsByProject: Object.fromEntries(Object.entries(amountsByProject).map(([p, v]) => [p, cents(v)])),
  amountsByProject,
});

/**
 * The emulator's final numbers over [from, to), usage grouped as the ledger asks (the emulator rounds per row, as
 * the API may: sums under different groupings can differ by a few units).
 */
const truth = (emu: Emulator, from: number, to: number, usageGroups = COMPLETIONS_GROUPS): Sums =>
  sums(
    to > from
      ? emu.truth('usageCompletions', {
          start_time: from,
          end_time: to,
          bucket_width: '1h',
          group_by: usageGroups,
          limit: 168,
        })
      : [],
    to > from ? emu.truth('usageCosts', { start_time: from, end_time: to, group_by: COSTS_GROUPS, limit: 180 }) : [],
  );

/** What the API answers now over [from, to) (usage) and [costsFrom, to) (costs): the window's latest reading. */
async function reading(admin: OpenAIAdmin, from: number, costsFrom: number, to: number): Promise<Sums> {
  type Buckets = Array<{ results: Array<Record<string, unknown>> }>;
  const usage: Buckets = [];
  for await (const page of admin.usage
    .completions({
      start_time: from,
      end_time: to,
      bucket_width: '1h',
      group_by: COMPLETIONS_GROUPS as never,
      limit: 168,
    })
    .pages())
    usage.push(...(page.data as never[]));
  const costs: Buckets = [];
  for await (const page of admin
    .costs({ start_time: costsFrom, end_time: to, group_by: COSTS_GROUPS as never, limit: 180 })
    .pages())
    costs.push(...(page.data as never[]));
  return sums(usage, costs);
}

/** A ledger's totals as Sums (costs to the cent, as the exporter rounds them). */
function ledgerSums(totals: Total[]): Sums {
  const of = (series: string, metric: string) => totals.filter((t) => t.series === series && t.metric === metric);
  const costs = of('costs', 'amount');
  const byProject: Record<string, number> = {};
  for (const t of costs) byProject[t.project_id] = (byProject[t.project_id] ?? 0) + t.value;
  return {
    tokens: Object.fromEntries(
      TOKENS.map((m) => [m, of('usage.completions', m).reduce((s, t) => s + t.value, 0)]),
    ) as Sums['tokens'],
    cents: Math.round(costs.reduce((s, t) => s + t.value, 0) * 100),
    centsByProject: Object.fromEntries(Object.entries(byProject).map(([p, v]) => [p, Math.round(v * 100)])),
  };
}

/** Adds two Sums (the settled part and the window): amounts added exactly, then rounded to the cent once. */
const plus = (a: Sums, b: Sums): Sums =>
  withCents(
    Object.fromEntries(TOKENS.map((m) => [m, a.tokens[m] + b.tokens[m]])) as Sums['tokens'],
    Object.fromEntries(
      [...new Set([...Object.keys(a.amountsByProject ?? {}), ...Object.keys(b.amountsByProject ?? {})])].map((p) => [
        p,
        [...(a.amountsByProject?.[p] ?? []), ...(b.amountsByProject?.[p] ?? [])],
      ]),
    ),
  );

/** Syncs every 2 h 5 min from START + 1 h to `days` days later, as a cron or the exporter's loop would. */
async function syncEvery2h5m(w: World, days: number, extra: SyncOptions = {}): Promise<{ sawRevisable: boolean }> {
  let sawRevisable = false;
  for (let t = START + HOUR; t <= START + days * DAY; t += 2 * HOUR + 300) {
    w.clock.set(t * 1000);
    await syncLedger(w.admin, w.store, {
      since: START,
      bucketWidth: '1h',
      series: SERIES,
      now: w.seconds,
      ...extra,
    });
    sawRevisable ||= (await w.store.rows('usage.completions')).some((r) => r.final === 0 && r.value > 0);
  }
  return { sawRevisable };
}

describe.each(['sqlite', 'postgres'] as const)('the ledger on %s against the emulator’s live quirks', (kind) => {
  test('syncs every 2 h 5 min: settled buckets equal the truth to the token and the cent, the window the latest reading, the scrape totals both', async () => {
    const w = await world(kind);
    try {
      const { sawRevisable } = await syncEvery2h5m(w, DAYS + 2);
      expect(sawRevisable).toBe(true);
      const cursors = new Map((await w.store.cursors()).map((c) => [c.series, c]));
      const usageEdge = cursors.get('usage.completions')!.final_until;
      const costsEdge = cursors.get('costs')!.final_until;
      const end = cursors.get('usage.completions')!.fetched_until;
      // Costs arrive a day late: their final edge trails usage's by at least a day, and both trail the clock.
      expect(costsEdge).toBeLessThanOrEqual(usageEdge - DAY);
      expect(usageEdge).toBeLessThan(w.seconds());

      // The settled part, however the syncs fell: the final truth (0 double counts, 0 misses).
      const settledUsage = ledgerSums(await w.store.totals({ from: START, to: usageEdge }));
      const settledCosts = ledgerSums(await w.store.totals({ from: START, to: costsEdge }));
      const usageTruth = truth(w.emu, START, usageEdge);
      const costsTruth = truth(w.emu, START, costsEdge);
      expect(settledUsage.tokens).toEqual(usageTruth.tokens);
      expect(usageTruth.tokens.input_tokens).toBeGreaterThan(0);
      expect([settledCosts.cents, settledCosts.centsByProject]).toEqual([costsTruth.cents, costsTruth.centsByProject]);
      expect(costsTruth.cents).toBeGreaterThan(0);

      // The whole ledger, as a scrape reads it (running totals plus the window): the settled truth plus what the
      // API says now of the buckets still in the window.
      const now = await reading(w.admin, usageEdge, costsEdge, end);
      const scrape = ledgerSums(await w.store.totals());
      expect(scrape.tokens).toEqual(plus(usageTruth, now).tokens);
      const whole = plus(costsTruth, now);
      expect([scrape.cents, scrape.centsByProject]).toEqual([whole.cents, whole.centsByProject]);
    } finally {
      await close(w);
    }
  });

  test('usage grouped by api_key_id (keys) syncs, and costs are never asked for it: the emulator answers that 400', async () => {
    const w = await world(kind);
    try {
      // The refusal is real here: asked directly, the costs endpoint answers 400 naming group_by.
      await expect(
        w.admin
          .costs({ start_time: START, group_by: ['api_key_id'] as never, limit: 7 })
          .pages()
          .next(),
      ).rejects.toMatchObject({ status: 400 });
      w.clock.set((START + DAY + 2 * HOUR) * 1000);
      const before = w.emu.requests.length;
      await syncLedger(w.admin, w.store, {
        since: START,
        bucketWidth: '1h',
        series: SERIES,
        keys: true,
        now: w.seconds,
      });
      const sent = w.emu.requests.slice(before).map((r) => r.url);
      expect(sent.some((u) => u.includes('/usage/completions') && u.includes('group_by=api_key_id'))).toBe(true);
      expect(sent.filter((u) => u.includes('/organization/costs')).length).toBeGreaterThan(0);
      expect(sent.filter((u) => u.includes('/organization/costs') && u.includes('api_key_id'))).toEqual([]);
      const rows = await w.store.rows('usage.completions');
      expect(rows.some((r) => JSON.parse(r.dims).api_key_id)).toBe(true);
      // Per key, the tokens of the settled part are the truth's under the same grouping.
      const edge = (await w.store.cursors()).find((c) => c.series === 'usage.completions')!.final_until;
      expect(ledgerSums(await w.store.totals({ from: START, to: edge })).tokens).toEqual(
        truth(w.emu, START, edge, [...COMPLETIONS_GROUPS, 'user_id', 'api_key_id']).tokens,
      );
    } finally {
      await close(w);
    }
  });
});

test('a ledger that trusts a bucket as soon as it closes (grace 0) ends below the truth: the emulator’s revisions and late costs bite', async () => {
  const w = await world('sqlite');
  try {
    await syncEvery2h5m(w, DAYS + 2, { usageGrace: 0, costsGrace: 0 });
    const edge = (await w.store.cursors()).find((c) => c.series === 'costs')!.final_until;
    const got = ledgerSums(await w.store.totals({ from: START, to: edge }));
    const want = truth(w.emu, START, edge);
    expect(got.tokens.input_tokens).toBeLessThan(want.tokens.input_tokens);
    expect(got.cents).toBeLessThan(want.cents);
  } finally {
    await close(w);
  }
});

test.each(['sqlite', 'postgres'] as const)(
  'on %s, a settled month: the ledger’s costs, the FOCUS file and the emulator’s truth agree to the cent, by project too',
  async (kind) => {
    const month = { start: START, end: Date.UTC(2026, 11, 1) / 1000 };
    // Synced daily through November as the days pass, then once the month has settled (costs are a day late).
    const w = await world(kind, month.start + HOUR);
    try {
      for (let t = month.start + HOUR; t <= month.end + 3 * DAY; t += DAY) {
        w.clock.set(t * 1000);
        await syncLedger(w.admin, w.store, { since: month.start, series: ['costs'], now: w.seconds });
      }
      const ledger = ledgerSums(await w.store.totals({ from: month.start, to: month.end }));
      const want = truth(w.emu, month.start, month.end);
      const { rows } = await fetchFocus(w.admin, { month: '2026-11' });
      const byProject = new Map<string, string[]>();
      for (const r of rows) byProject.set(r.SubAccountId!, [...(byProject.get(r.SubAccountId!) ?? []), r.BilledCost!]);
      const focus = {
        cents: cents(rows.map((r) => r.BilledCost!)),
        centsByProject: Object.fromEntries([...byProject].map(([p, v]) => [p, cents(v)])),
      };
      expect(want.cents).toBeGreaterThan(0);
      expect([ledger.cents, ledger.centsByProject]).toEqual([want.cents, want.centsByProject]);
      expect(focus).toEqual({ cents: want.cents, centsByProject: want.centsByProject });
    } finally {
      await close(w);
    }
  },
);
