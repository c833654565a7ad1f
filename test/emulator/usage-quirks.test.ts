/**
 * `realism: 'api'` usage and costs as the live API serves them: minute buckets revised for 15 minutes after they
 * close, costs daily only and a day late, `group_by=api_key_id` refused on costs; `emu.truth()` gives the final
 * numbers. Time is a hand-moved clock: every assertion is about the clock's value, none about elapsed time.
 */
import {
  LIVE_USAGE_QUIRKS,
  manualClock,
  revisedFraction,
  type EmulatorOptions,
  type ManualClock,
} from '../../src/testing/index.js';
import { atTime } from '../../src/testing/usage-quirks.js';
import { DAY, startApi, type Api } from './helpers.js';

/** 2026-11-30T12:00:00Z in Unix seconds: a minute bucket closes here. */
const T0 = Date.UTC(2026, 10, 30, 12) / 1000;
const MIN = 60;

let api: Api;
let clock: ManualClock;
async function emulator(options: EmulatorOptions = {}) {
  clock = manualClock(T0 * 1000);
  api = await startApi({ realism: 'api', rateLimit: false, now: clock.now, ...options });
}
afterEach(async () => {
  await api?.emu.close();
  api = undefined as unknown as Api;
});

type Bucket = { start_time: number; end_time: number; results: Record<string, any>[] };
const tokens = (buckets: Bucket[]) =>
  buckets.flatMap((b) => b.results).reduce((sum, r) => sum + (r.input_tokens as number), 0);

describe('revisedFraction: the share of its final counters a bucket reports, by age', () => {
  test('one half as it closes (or while open), one more step each whole minute, all of it after the window', () => {
    expect(revisedFraction(-30, 900)).toBe(0.5);
    expect(revisedFraction(0, 900)).toBe(0.5);
    expect(revisedFraction(59, 900)).toBe(0.5);
    expect(revisedFraction(60, 900)).toBeCloseTo(0.5 + 0.5 / 15, 12);
    expect(revisedFraction(899, 900)).toBeLessThan(1);
    expect(revisedFraction(900, 900)).toBe(1);
    expect(revisedFraction(0, 0)).toBe(1);
  });

  test('never goes down as a bucket ages', () => {
    let last = 0;
    for (let age = -120; age <= 1000; age += 7) {
      const share = revisedFraction(age, 900);
      expect(share).toBeGreaterThanOrEqual(last);
      last = share;
    }
  });
});

describe('minute usage buckets are revised for 15 minutes after they close', () => {
  const path = (group = '') =>
    `/organization/usage/completions?start_time=${T0 - MIN}&end_time=${T0}&bucket_width=1m${group}`;

  test('read as it closes, a bucket reports half its final tokens; every later reading is at least the one before; at 15 minutes it is final', async () => {
    await emulator();
    const truth = tokens(api.emu.truth('usageCompletions', { start_time: T0 - MIN, end_time: T0, bucket_width: '1m' }));
    expect(truth).toBeGreaterThan(1000);
    const readings: number[] = [];
    for (let minute = 0; minute <= 15; minute++) {
      readings.push(tokens((await api.ok('GET', path())).data));
      clock.advance(MIN * 1000);
    }
    expect(readings[0]).toBe(Math.floor(truth * 0.5));
    expect(readings.slice(0, 15).every((r) => r < truth)).toBe(true);
    for (let i = 1; i < readings.length; i++) expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1]);
    expect(readings[15]).toBe(truth);
  });

  test('grouped rows are revised row by row, and the final rows equal the truth exactly', async () => {
    await emulator();
    const group = '&group_by=project_id&group_by=model';
    const early = (await api.ok('GET', path(group))).data as Bucket[];
    clock.advance(15 * MIN * 1000);
    const final = (await api.ok('GET', path(group))).data as Bucket[];
    const truth = api.emu.truth('usageCompletions', {
      start_time: T0 - MIN,
      end_time: T0,
      bucket_width: '1m',
      group_by: ['project_id', 'model'],
    });
    expect(final).toEqual(truth.map((b) => expect.objectContaining(b)));
    expect(early[0].results.map((r) => r.output_tokens)).toEqual(
      final[0].results.map((r) => Math.floor((r.output_tokens as number) * 0.5)),
    );
  });

  test('buckets that closed more than 15 minutes ago already carry their final numbers', async () => {
    await emulator();
    const query = { start_time: T0 - 3 * 3600, end_time: T0 - 900, bucket_width: '1m', limit: 1440 };
    const page = await api.ok(
      'GET',
      `/organization/usage/embeddings?start_time=${query.start_time}&end_time=${query.end_time}&bucket_width=1m&limit=1440`,
    );
    expect(page.data).toEqual(api.emu.truth('usageEmbeddings', query).map((b) => expect.objectContaining(b)));
  });

  test('usageQuirks: { revisionSeconds: 0 } and the default mode read every bucket final at once', async () => {
    await emulator({ usageQuirks: { revisionSeconds: 0 } });
    const truth = tokens(api.emu.truth('usageCompletions', { start_time: T0 - MIN, end_time: T0, bucket_width: '1m' }));
    expect(tokens((await api.ok('GET', path())).data)).toBe(truth);
    await api.emu.close();
    api = await startApi({ now: clock.now });
    expect(tokens((await api.ok('GET', path())).data)).toBe(truth);
  });

  test('atTime leaves dimensions and non-counter fields alone', () => {
    const page = {
      object: 'page',
      data: [
        { start_time: 0, end_time: 60, results: [{ object: 'x', project_id: 'p', batch: true, input_tokens: 9 }] },
      ],
    };
    expect(atTime(LIVE_USAGE_QUIRKS, false, page, 60).data[0].results[0]).toEqual({
      object: 'x',
      project_id: 'p',
      batch: true,
      input_tokens: 4,
    });
    expect(atTime(LIVE_USAGE_QUIRKS, false, page, 60 + 900)).toEqual(page);
  });
});

describe('costs are daily only and arrive a day late', () => {
  const DAY0 = T0 - 12 * 3600 - DAY; // 2026-11-29T00:00Z, the day before the clock's
  const costs = (extra = '') =>
    `/organization/costs?start_time=${DAY0}&end_time=${DAY0 + 2 * DAY}&group_by=line_item${extra}`;

  test("yesterday's bucket is empty until a day after it ends, then equals the truth to the decimal digit", async () => {
    await emulator();
    const truth = api.emu.truth('usageCosts', { start_time: DAY0, end_time: DAY0 + 2 * DAY, group_by: ['line_item'] });
    expect(truth[0].results.length).toBeGreaterThan(3);
    const before = (await api.ok('GET', costs())).data as Bucket[];
    expect(before.map((b) => b.results)).toEqual([[], []]);
    clock.set((DAY0 + 2 * DAY) * 1000 - 1000); // a second before the bucket is a day old
    expect((await api.ok('GET', costs())).data[0].results).toEqual([]);
    clock.set((DAY0 + 2 * DAY) * 1000);
    const after = (await api.ok('GET', costs())).data as Bucket[];
    expect(after[0].results).toEqual(truth[0].results);
    for (const r of after[0].results) expect(r.amount.value).toMatch(/^\d+\.\d{19}$/);
    expect(after[1].results).toEqual([]); // today's: still to come
  });

  test('without realism, costs of the day before are there at once', async () => {
    clock = manualClock(T0 * 1000);
    api = await startApi({ now: clock.now });
    expect((await api.ok('GET', costs())).data[0].results.length).toBeGreaterThan(3);
  });

  test.each([{ realism: 'api' as const }, {}])(
    'bucket_width other than 1d is a 400 naming it (%o)',
    async (options) => {
      clock = manualClock(T0 * 1000);
      api = await startApi({ ...options, rateLimit: false, now: clock.now });
      for (const width of ['1h', '1m']) {
        const r = await api.call('GET', costs(`&bucket_width=${width}`));
        expect(r.status).toBe(400);
        expect(r.json.error.param).toBe('bucket_width');
      }
    },
  );
});

describe('group_by=api_key_id on costs is refused as the live API refuses it', () => {
  const path = `/organization/costs?start_time=${T0 - 10 * DAY}&end_time=${T0 - 2 * DAY}&group_by=project_id&group_by=api_key_id`;

  test("realism: 'api' answers 400 naming group_by, in OpenAI's error shape", async () => {
    await emulator();
    const r = await api.call('GET', path);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ param: 'group_by', type: 'invalid_request_error', code: 'invalid_value' });
    expect(r.json.error.message).toMatch(/api_key_id/);
    expect((await api.call('GET', path.replace('api_key_id', 'line_item'))).status).toBe(200);
  });

  test('the usage endpoints still group by api_key_id', async () => {
    await emulator();
    const r = await api.call(
      'GET',
      `/organization/usage/completions?start_time=${T0 - 2 * DAY}&end_time=${T0 - DAY}&group_by=api_key_id`,
    );
    expect(r.status).toBe(200);
  });

  test('switchable: usageQuirks: { refuseCostsByApiKey: false }, usageQuirks: false and the default mode answer 200', async () => {
    for (const options of [
      { realism: 'api' as const, usageQuirks: { refuseCostsByApiKey: false } },
      { realism: 'api' as const, usageQuirks: false as const },
      {},
    ]) {
      clock = manualClock(T0 * 1000);
      api = await startApi({ rateLimit: false, now: clock.now, ...options });
      expect((await api.call('GET', path)).status).toBe(200);
      await api.emu.close();
    }
    api = undefined as unknown as Api;
  });
});

describe('options and the clock', () => {
  test('bad usageQuirks fail at start, naming the knob', async () => {
    await expect(startApi({ realism: 'api', usageQuirks: { revisionSeconds: -1 } })).rejects.toThrow(
      /usageQuirks\.revisionSeconds/,
    );
    await expect(startApi({ realism: 'api', usageQuirks: { costsDelaySeconds: Number.NaN } })).rejects.toThrow(
      /usageQuirks\.costsDelaySeconds/,
    );
  });

  test('manualClock moves only forward, and only when told', () => {
    const c = manualClock(1_000);
    expect(c.now()).toBe(1_000);
    expect(c.advance(500)).toBe(1_500);
    expect(c.set(2_000)).toBe(2_000);
    expect(() => c.set(1_999)).toThrow(RangeError);
    expect(() => c.advance(-1)).toThrow(RangeError);
    expect(() => manualClock(Number.NaN)).toThrow(RangeError);
    expect(c.now()).toBe(2_000);
  });

  test('truth refuses what is not a usage operation, and reads one group_by as a list of one', async () => {
    await emulator();
    const q = { start_time: T0 - 2 * DAY, end_time: T0 - DAY };
    expect(api.emu.truth('usageCosts', { ...q, group_by: 'project_id' })).toEqual(
      api.emu.truth('usageCosts', { ...q, group_by: ['project_id'] }),
    );
    expect(() => api.emu.truth('listProjects' as never, { start_time: 0 })).toThrow(TypeError);
  });
});
