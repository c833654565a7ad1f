/**
 * The ledger's running totals (store.ts FOLD_SQL) on a real SQLite file: what a scrape reads (the running totals of
 * the final rows plus the trailing window) always equals the sum of every stored row, through revisions, commits
 * that make rows final, a writer with an older cursor replacing rows already counted, and a ledger written before
 * running totals existed. (Postgres runs the same SQL in the spend suite's truth tests.) In the spend suite, not the
 * unit suite: better-sqlite3 is a native addon built for the Node that installed it, so the unit suite's Node 22/24
 * matrix cannot load it (it failed there, "Module did not self-register").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/ledger/sqlite-store.js';
import type { Cursor, LedgerRow, LedgerStore } from '../../../src/ledger/store.js';

const H = 3_600;
let dir: string;
let store: LedgerStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openai-admin-totals-'));
  store = await openSqliteStore(join(dir, 'ledger.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = (start: number, project: string, value: number, metric = 'input_tokens'): LedgerRow => ({
  series: 'usage.completions',
  start_time: start,
  end_time: start + H,
  group_key: JSON.stringify({ model: 'm', project_id: project }),
  project_id: project,
  model: 'm',
  line_item: '',
  dims: '{}',
  metric,
  value,
  value_text: String(value),
  currency: '',
  final: 0,
});

const cursor = (finalUntil: number, fetchedUntil: number): Cursor => ({
  series: 'usage.completions',
  bucket_width: '1h',
  since: 0,
  final_until: finalUntil,
  fetched_until: fetchedUntil,
  synced_at: fetchedUntil,
  requests: 1,
});

/** The reference: a plain SUM over every row (the range form of totals() never uses the running totals). */
const everyRow = () => store.totals({ from: -1e15, to: 1e15 });

/** A range [from, to) re-read with `value(start, project)` in each hour and committed with final edge `edge`. */
const commit = (from: number, to: number, edge: number, value: (start: number, p: string) => number) => {
  const rows: LedgerRow[] = [];
  for (let s = from; s < to; s += H) for (const p of ['p1', 'p2']) rows.push(row(s, p, value(s, p)));
  return store.replaceRange('usage.completions', from, to, rows, cursor(edge, to));
};

test('through syncs that revise the window and make rows final, the scrape totals equal the sum of every row', async () => {
  // Each sync re-reads from the last final edge; a bucket's value grows with the number of times it was read.
  const reads = new Map<number, number>();
  const value = (s: number, p: string) => {
    const n = (reads.get(s) ?? 0) + (p === 'p1' ? 1 : 0);
    reads.set(s, n);
    return 10 * n + (p === 'p2' ? 7 : 1);
  };
  let edge = 0;
  for (let now = 2 * H; now <= 40 * H; now += 3 * H) {
    const next = now - 2 * H;
    await commit(edge, now, next, value);
    edge = next;
    expect(await store.totals()).toEqual(await everyRow());
  }
  expect((await store.totals()).map((t) => t.project_id)).toEqual(['p1', 'p2']);
});

test('a writer with an older cursor replacing rows already counted moves the totals by the difference only', async () => {
  await commit(0, 10 * H, 8 * H, () => 5);
  // A second sync that had read the cursor before the first committed: it replaces [0, 10 h) again, with new values.
  await commit(0, 10 * H, 6 * H, (s) => (s < 3 * H ? 9 : 5));
  const totals = await store.totals();
  expect(totals).toEqual(await everyRow());
  expect(totals.map((t) => t.value)).toEqual([5 * 7 + 9 * 3, 5 * 7 + 9 * 3]);
});

test('a ledger written before running totals existed is summed whole until its next commit folds it', async () => {
  await commit(0, 10 * H, 8 * H, () => 3);
  // As an older version left it: rows and cursor, no running totals.
  const Database = (await import('better-sqlite3')).default;
  const raw = new Database(join(dir, 'ledger.db'));
  raw.exec('DELETE FROM ledger_final_totals; DELETE FROM ledger_folded;');
  raw.close();
  expect(await store.totals()).toEqual(await everyRow());
  await commit(8 * H, 12 * H, 10 * H, () => 4);
  expect(await store.totals()).toEqual(await everyRow());
  const check = new Database(join(dir, 'ledger.db'), { readonly: true });
  expect(check.prepare('SELECT folded_until FROM ledger_folded').pluck().get()).toBe(10 * H);
  check.close();
});

test('latest: the newest bucket of a level per project (vector store bytes), whatever other metrics came later', async () => {
  const level = (start: number, project: string, value: number): LedgerRow => ({
    ...row(start, project, value, 'usage_bytes'),
    series: 'usage.vector_stores',
  });
  await store.replaceRange(
    'usage.vector_stores',
    0,
    3 * H,
    [level(0, 'p1', 5), level(H, 'p1', 7), level(H, 'p2', 2), level(2 * H, 'p1', 99)].map((r, i) =>
      i === 3 ? { ...r, metric: 'other' } : r,
    ),
    { ...cursor(H, 3 * H), series: 'usage.vector_stores' },
  );
  expect(await store.latest('usage.vector_stores', 'usage_bytes')).toEqual([
    { project_id: 'p1', value: 7, start_time: H },
    { project_id: 'p2', value: 2, start_time: H },
  ]);
});
