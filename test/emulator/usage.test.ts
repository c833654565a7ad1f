/** Synthetic usage and costs: deterministic per seed, honouring the window, group_by and filters. */
import { DAY, JAN_1_2025, startApi, type Api } from './helpers.js';

let api: Api;
let twin: Api;
let other: Api;
beforeAll(async () => {
  [api, twin, other] = await Promise.all([startApi({ seed: 7 }), startApi({ seed: 7 }), startApi({ seed: 8 })]);
});
afterAll(() => Promise.all([api.emu.close(), twin.emu.close(), other.emu.close()]));

const window = `start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 7 * DAY}`;

test('the same seed gives the same usage, ids included; another seed gives different numbers', async () => {
  const path = `/organization/usage/completions?${window}&group_by=project_id&group_by=model`;
  const a = await api.ok('GET', path);
  expect(await twin.ok('GET', path)).toEqual(a);
  const b = await other.ok('GET', path);
  expect(b.data[0].results).not.toEqual(a.data[0].results);
});

test('buckets cover the window, are aligned to bucket_width and carry start_time_iso/end_time_iso', async () => {
  const body = await api.ok(
    'GET',
    `/organization/usage/embeddings?start_time=${JAN_1_2025 + 3600 + 5}&end_time=${JAN_1_2025 + 5 * 3600}&bucket_width=1h`,
  );
  expect(body.data.map((b: { start_time: number }) => b.start_time)).toEqual(
    [1, 2, 3, 4].map((h) => JAN_1_2025 + h * 3600),
  );
  expect(body.data[0]).toMatchObject({
    object: 'bucket',
    end_time: JAN_1_2025 + 2 * 3600,
    start_time_iso: '2025-01-01T01:00:00+00:00',
    end_time_iso: '2025-01-01T02:00:00+00:00',
  });
  expect(body.has_more).toBe(false);
  expect(body.next_page).toBeNull();
});

test('without group_by each bucket has one row with every grouping field null', async () => {
  const body = await api.ok('GET', `/organization/usage/completions?${window}`);
  for (const bucket of body.data) {
    expect(bucket.results).toHaveLength(1);
    expect(bucket.results[0]).toMatchObject({
      project_id: null,
      user_id: null,
      api_key_id: null,
      model: null,
      batch: null,
      service_tier: null,
    });
    expect(bucket.results[0].input_tokens).toBeGreaterThan(0);
  }
});

test('group_by fills the grouped fields only, and totals agree with the ungrouped rows', async () => {
  const flat = await api.ok('GET', `/organization/usage/completions?${window}`);
  const grouped = await api.ok('GET', `/organization/usage/completions?${window}&group_by=project_id&group_by=batch`);
  const projects = new Set([...api.emu.state.projects.keys()]);
  grouped.data.forEach((bucket: { results: Record<string, unknown>[] }, i: number) => {
    expect(bucket.results.length).toBeGreaterThan(1);
    for (const row of bucket.results) {
      expect(projects.has(row.project_id as string)).toBe(true);
      expect(typeof row.batch).toBe('boolean');
      expect(row).toMatchObject({ user_id: null, api_key_id: null, model: null, service_tier: null });
    }
    const sum = bucket.results.reduce((s, r) => s + (r.input_tokens as number), 0);
    const total = flat.data[i].results[0].input_tokens;
    expect(Math.abs(sum - total)).toBeLessThanOrEqual(bucket.results.length);
  });
});

test('project_ids and models filter the rows', async () => {
  const p = [...api.emu.state.projects.keys()][1];
  const body = await api.ok(
    'GET',
    `/organization/usage/completions?${window}&project_ids=${p}&group_by=project_id&group_by=model&models=o3-2025-04-16`,
  );
  const rows = body.data.flatMap((b: { results: unknown[] }) => b.results);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row).toMatchObject({ project_id: p, model: 'o3-2025-04-16' });
  const unknown = await api.ok(
    'GET',
    `/organization/usage/completions?${window}&project_ids=proj_unknown&group_by=project_id`,
  );
  expect(unknown.data.every((b: { results: unknown[] }) => b.results.length === 0)).toBe(true);
});

test('each usage family answers its own result object with its own dimensions', async () => {
  const cases: [string, string, string][] = [
    ['images', 'organization.usage.images.result', 'size'],
    ['web_search_calls', 'organization.usage.web_searches.result', 'context_level'],
    ['file_search_calls', 'organization.usage.file_searches.result', 'vector_store_id'],
    ['vector_stores', 'organization.usage.vector_stores.result', 'project_id'],
  ];
  for (const [path, object, dim] of cases) {
    const body = await api.ok('GET', `/organization/usage/${path}?${window}&group_by=${dim}`);
    const row = body.data[0].results[0];
    expect(row.object).toBe(object);
    expect(typeof row[dim]).toBe('string');
  }
});

test('costs carry amount {value, currency} and group by line_item', async () => {
  const body = await api.ok('GET', `/organization/costs?${window}&group_by=line_item`);
  const row = body.data[0].results[0];
  expect(row).toMatchObject({
    object: 'organization.costs.result',
    amount: { value: expect.any(Number), currency: 'usd' },
    line_item: expect.any(String),
    project_id: null,
  });
});

test('buckets in the future are empty and end_time before start_time is a 400', async () => {
  const now = Math.floor(Date.now() / 1000);
  const future = await api.ok(
    'GET',
    `/organization/usage/moderations?start_time=${now + 2 * DAY}&end_time=${now + 4 * DAY}`,
  );
  expect(future.data.every((b: { results: unknown[] }) => b.results.length === 0)).toBe(true);
  const r = await api.call(
    'GET',
    `/organization/usage/moderations?start_time=${JAN_1_2025}&end_time=${JAN_1_2025 - DAY}`,
  );
  expect(r.status).toBe(400);
  expect(r.json.error.param).toBe('end_time');
});
