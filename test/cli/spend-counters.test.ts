/**
 * Numbers that arrive as strings, through the real bin against a hostile server on 127.0.0.1
 * (test/support/hostile-spend.ts): `report spend --json` adds counters sent as "5" (the bug printed "055"),
 * leaves out and names what is no number (a counter, a cost's amount.value), and exits 0 with no NaN anywhere;
 * `usage completions` prints numbers too.
 */
import { EXPECTED, HOSTILE_PROJECT_ID, PLAIN_PROJECT, startHostileSpendServer } from '../support/hostile-spend';
import { useCliAgainst } from './support';

jest.setTimeout(120_000);

const { cli } = useCliAgainst('sk-admin-counters-0123', startHostileSpendServer, (server) => server.baseURL);

interface Report {
  rows: Array<{ key: string; cost: number; requests: number; input_tokens: number; output_tokens: number }>;
  totals: { cost: number; requests: number; input_tokens: number; output_tokens: number };
}

test('report spend --json adds counters sent as strings and leaves out, naming the field, what is no number', async () => {
  const r = await cli(['report', 'spend', '--days', '3', '--json']);
  expect(r.code).toBe(0);
  expect(r.stdout).not.toMatch(/NaN/);
  const report = JSON.parse(r.stdout) as Report & { thresholds: unknown };
  // The spend alert's one numeric threshold, in dollars; no limit set.
  expect(report.thresholds).toEqual({ currency: 'USD', alerts: [123.45] });
  const pick = ({ cost, requests, input_tokens, output_tokens }: Report['totals']) => ({
    cost,
    requests,
    input_tokens,
    output_tokens,
  });
  expect(report.rows.map((row) => row.key)).toEqual([HOSTILE_PROJECT_ID, PLAIN_PROJECT.id]);
  expect(report.rows.map(pick)).toEqual([EXPECTED.hostile, EXPECTED.plain]);
  expect(pick(report.totals)).toEqual(EXPECTED.totals);
  expect(r.stderr.split('\n').filter((l) => l.startsWith('warning:'))).toEqual([
    "warning: a cost's amount.value is not a number; left out of the report",
    "warning: openai-admin: usage-completions: a row's input_tokens is not a number; left out",
    "warning: openai-admin: usage-completions: a row's output_tokens is not a number; left out",
  ]);
});

test('report spend --by model: the same totals, every counter a number', async () => {
  const r = await cli(['report', 'spend', '--days', '3', '--by', 'model', '--json']);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as Report;
  expect(report.totals.requests).toBe(EXPECTED.totals.requests);
  expect(report.totals.input_tokens).toBe(EXPECTED.totals.input_tokens);
  for (const row of report.rows) expect(typeof row.requests).toBe('number');
});

test('usage completions prints counters as numbers and names the ones it leaves out, once each', async () => {
  const r = await cli(['usage', 'completions', '--start-time', '0', '--ndjson']);
  expect(r.code).toBe(0);
  const rows = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(rows.map((row) => [row.num_model_requests, row.input_tokens, row.output_tokens])).toEqual([
    [5, 100, 7],
    [2, 10, 20],
    [5, undefined, undefined],
  ]);
  expect(r.stderr.split('\n').filter(Boolean)).toEqual([
    "warning: a row's input_tokens is not a number; left out",
    "warning: a row's output_tokens is not a number; left out",
  ]);
});
