/** Synthetic usage and costs: deterministic per seed, honouring the window, group_by and filters. */
import { LINE_ITEM_PRICES } from '../../src/testing/prices.js';
import type { UsageOperation } from '../../src/testing/usage.js';
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

describe('costs are usage × price', () => {
  const days = 10;
  const range = `start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + days * DAY}&limit=${days}`;
  const PATHS: Partial<Record<UsageOperation, string>> = {
    usageCompletions: 'usage/completions',
    usageEmbeddings: 'usage/embeddings',
    usageWebSearchCalls: 'usage/web_search_calls',
    usageFileSearchCalls: 'usage/file_search_calls',
  };
  type Row = Record<string, any>;
  const rows = async (path: string, groupBy: string[], filter = ''): Promise<Row[]> => {
    const query = groupBy.map((g) => `&group_by=${g}`).join('');
    const body = await api.ok('GET', `/organization/${path}?${range}${query}${filter}`);
    expect(body.data).toHaveLength(days);
    return body.data.flatMap((b: { results: Row[] }) => b.results);
  };
  const add = (m: Map<string, number>, key: string, v: number) => m.set(key, (m.get(key) ?? 0) + v);

  /** Σ over usage buckets of units × price, per `keyOf(line item, usage row)`, from the usage endpoints alone. */
  async function expectedCosts(
    by: 'project_id' | 'api_key_id' | null,
    keyOf: (item: string, row: Row) => string,
    filter = '',
  ) {
    const expected = new Map<string, number>();
    for (const price of LINE_ITEM_PRICES) {
      const groupBy = [...(price.model ? ['model'] : []), ...(by ? [by] : [])];
      for (const row of await rows(PATHS[price.usage]!, groupBy, filter)) {
        if (row[price.metric] === undefined) continue; // an all-null row of a filter that matches nothing
        if (price.model && row.model !== price.model) continue;
        const units = row[price.metric] - (price.minus ? row[price.minus] : 0);
        add(expected, keyOf(price.lineItem, row), units * price.usdPerUnit);
      }
    }
    return expected;
  }
  const toTheCent = (actual: Map<string, number>, expected: Map<string, number>) => {
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, value] of expected) expect(Math.abs(actual.get(key)! - value)).toBeLessThan(0.005);
  };

  test('every model with token usage has input, cached input (where usage has it) and output line items', async () => {
    const items = new Set((await rows('costs', ['line_item'])).map((r) => r.line_item as string));
    for (const [path, parts] of [
      ['usage/completions', ['input', 'cached input', 'output']],
      ['usage/embeddings', ['input']],
    ] as const) {
      const models = new Set((await rows(path, ['model'])).filter((r) => r.input_tokens > 0).map((r) => r.model));
      expect(models.size).toBeGreaterThan(1);
      for (const model of models) for (const part of parts) expect(items).toContain(`${model}, ${part}`);
    }
    expect(items).toContain('o3-2025-04-16, output');
  });

  test('per line item over ten days, with the quantity charged for', async () => {
    const actual = new Map<string, number>();
    const quantity = new Map<string, number>();
    for (const r of await rows('costs', ['line_item'])) {
      add(actual, r.line_item, r.amount.value);
      add(quantity, r.line_item, r.quantity);
      expect(r.quantity_unit).toBe(r.line_item.includes(',') ? 'tokens' : null);
    }
    toTheCent(actual, await expectedCosts(null, (item) => item));
    const o3 = await rows('usage/completions', ['model']);
    const o3Output = o3.filter((r) => r.model === 'o3-2025-04-16').reduce((s, r) => s + r.output_tokens, 0);
    expect(quantity.get('o3-2025-04-16, output')).toBe(o3Output);
    expect(actual.get('o3-2025-04-16, output')).toBeGreaterThan(0);
  });

  test('ungrouped: one row per day, the total of every line item', async () => {
    const flat = await rows('costs', []);
    expect(flat.every((r) => r.line_item === null && r.project_id === null && r.quantity === null)).toBe(true);
    const total = new Map([['all', flat.reduce((s, r) => s + r.amount.value, 0)]]);
    toTheCent(total, await expectedCosts(null, () => 'all'));
  });

  test('grouped by project and line item, and by API key: split as usage is split', async () => {
    const byProject = new Map<string, number>();
    for (const r of await rows('costs', ['project_id', 'line_item']))
      add(byProject, `${r.project_id} ${r.line_item}`, r.amount.value);
    toTheCent(byProject, await expectedCosts('project_id', (item, row) => `${row.project_id} ${item}`));

    const byKey = new Map<string, number>();
    for (const r of await rows('costs', ['api_key_id'])) add(byKey, r.api_key_id, r.amount.value);
    toTheCent(byKey, await expectedCosts('api_key_id', (_, row) => row.api_key_id));
  });

  test('project_ids and api_key_ids filter costs as they filter usage', async () => {
    const p = [...api.emu.state.projects.keys()][1];
    // One of p's own keys: usage is made with a project's keys, so a key of another project filters to nothing.
    const k = (await rows('costs', ['project_id', 'api_key_id'])).find((r) => r.project_id === p)!.api_key_id as string;
    const filter = `&project_ids=${p}&api_key_ids=${k}`;
    const actual = new Map<string, number>();
    for (const r of await rows('costs', ['line_item'], filter)) add(actual, r.line_item, r.amount.value);
    expect(actual.size).toBeGreaterThan(5);
    toTheCent(actual, await expectedCosts(null, (item) => item, filter));
  });
});
