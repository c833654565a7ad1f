/**
 * A page over the client's maxResponseBytes (a large organisation's day of minute buckets can pass the default
 * 64 MB) is not a failed sync: the sync asks again for half as many buckets a page, for the rest of that sync, and
 * the ledger it writes is the one the largest pages write. Against the project's emulator on a real SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAIAdmin } from '../../../src/index.js';
import { openLedger, syncLedger, type SyncOptions } from '../../../src/ledger/index.js';
import { manualClock, startEmulator, type Emulator } from '../../../src/testing/index.js';

const KEY = 'sk-admin-ledger-pages-5a4b3c2d';
/** 2026-11-01T00:00Z. */
const START = Date.UTC(2026, 10, 1) / 1000;
const NOW = START + 2 * 86_400 + 3_600;

let tmp: string;
let emu: Emulator;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'openai-admin-ledger-pages-'));
  const clock = manualClock(NOW * 1000);
  emu = await startEmulator({ seed: 'ledger-pages', realism: 'api', rateLimit: false, now: clock.now });
});

afterAll(async () => {
  await emu?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const options = (warn: (m: string) => void = () => undefined): SyncOptions => ({
  since: START,
  bucketWidth: '1h',
  series: ['usage.completions'],
  now: () => NOW,
  warn,
});

test('a page over maxResponseBytes is asked again with half the buckets until it fits; the ledger is the same', async () => {
  const whole = await openLedger(join(tmp, 'whole.db'));
  const halved = await openLedger(join(tmp, 'halved.db'));
  try {
    const untroubled: string[] = [];
    const big = await syncLedger(
      new OpenAIAdmin({ apiKey: KEY, baseURL: emu.url }),
      whole,
      options((m) => untroubled.push(m)),
    );
    expect(untroubled).toEqual([]);

    const warnings: string[] = [];
    // Small enough that a week of this workload's hour buckets does not fit, large enough for a few hours' worth.
    const small = new OpenAIAdmin({ apiKey: KEY, baseURL: emu.url, maxResponseBytes: 64 * 1024 });
    const result = await syncLedger(
      small,
      halved,
      options((m) => warnings.push(m)),
    );
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(
      /usage\.completions: a page of 168 buckets was over the client's maxResponseBytes; asking for 84 a page/,
    );
    expect(result.series[0].requests).toBeGreaterThan(big.series[0].requests);
    // The refused requests are counted with the requests made.
    expect((await halved.cursors())[0].requests).toBe(result.series[0].requests);

    expect(await halved.rows()).toEqual(await whole.rows());
    expect(await halved.totals()).toEqual(await whole.totals());
    expect((await whole.rows()).length).toBeGreaterThan(0);
  } finally {
    await whole.close();
    await halved.close();
  }
});

test('a single bucket over maxResponseBytes is the client’s error, naming the limit: nothing is committed', async () => {
  const store = await openLedger(join(tmp, 'tiny.db'));
  try {
    // Project names first, with the default client (a sync of no series reads only them; fresh for an hour).
    await syncLedger(new OpenAIAdmin({ apiKey: KEY, baseURL: emu.url }), store, { ...options(), series: [] });
    const tiny = new OpenAIAdmin({ apiKey: KEY, baseURL: emu.url, maxResponseBytes: 64 });
    await expect(syncLedger(tiny, store, options())).rejects.toThrow(/over maxResponseBytes, 64 bytes/);
    expect(await store.rows()).toEqual([]);
    expect(await store.cursors()).toEqual([]);
  } finally {
    await store.close();
  }
});
