/**
 * Export usage and costs to CSV: one row per project per day, grouped by project, project names joined in.
 *
 *   npx tsx examples/export-usage-csv.ts [--days 30] [--out usage.csv]      # against a local emulator
 *   OPENAI_ADMIN_KEY=sk-admin-… npx tsx examples/export-usage-csv.ts --live --days 30 --out usage.csv
 *
 * Read-only. Columns: project_id, project_name, date (UTC day), requests, input_tokens, cached_input_tokens,
 * output_tokens (completions usage), cost, currency (costs). Rows are sorted by project name, then date.
 *
 * CSV done right (RFC 4180): a field containing a comma, a double quote, CR or LF (or leading/trailing spaces) is
 * wrapped in double quotes with inner quotes doubled; lines end in CRLF. Project names are user-chosen text, so
 * `Research, "R&D"` must survive the round trip. If the file is opened in a spreadsheet, beware that a name
 * beginning with = + - @ can be read as a formula; this export keeps data exact instead of mangling such names.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAIAdmin } from '../src/index.js';
import { csvField, renderCsv } from '../src/cli/output/csv.js';
import { exitOnError, flag, isMain, numberFlag, runCli } from './lib/cli.js';
import { printTable } from './lib/print.js';

const DAY = 86_400;

export const CSV_COLUMNS = [
  'project_id',
  'project_name',
  'date',
  'requests',
  'input_tokens',
  'cached_input_tokens',
  'output_tokens',
  'cost',
  'currency',
] as const;

export interface CsvRow {
  project_id: string;
  project_name: string;
  /** UTC day, YYYY-MM-DD. */
  date: string;
  requests: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  /** Rounded to 6 decimals. */
  cost: number;
  currency: string;
}

export interface ExportOptions {
  /** Whole UTC days to export, ending today (default 30; the costs endpoint allows up to 180 per page). */
  days?: number;
  /** Unix seconds treated as "now" (tests). */
  now?: number;
}

export interface ExportResult {
  csv: string;
  rows: CsvRow[];
  totals: { requests: number; input_tokens: number; output_tokens: number; cost: number };
}

export { csvField };

export function toCsv<R extends object>(columns: ReadonlyArray<keyof R & string>, rows: readonly R[]): string {
  return renderCsv(columns, rows as unknown as readonly Record<string, unknown>[]);
}

export async function main(admin: OpenAIAdmin, options: ExportOptions = {}): Promise<ExportResult> {
  const days = options.days ?? 30;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const start_time = Math.floor(now / DAY) * DAY - (days - 1) * DAY; // today counts as one of the days
  const end_time = Math.floor(now / DAY) * DAY + DAY;

  const names = new Map<string, string>();
  for await (const p of admin.projects.list({ include_archived: true, limit: 100 })) names.set(p.id, p.name ?? p.id);

  const byKey = new Map<string, CsvRow>();
  const row = (projectId: string | null | undefined, start: number): CsvRow => {
    const id = projectId ?? '';
    const key = `${id}\u0000${start}`;
    let r = byKey.get(key);
    if (!r) {
      r = {
        project_id: id,
        project_name: id ? (names.get(id) ?? '') : '(no project)',
        date: new Date(start * 1000).toISOString().slice(0, 10),
        requests: 0,
        input_tokens: 0,
        cached_input_tokens: 0,
        output_tokens: 0,
        cost: 0,
        currency: '',
      };
      byKey.set(key, r);
    }
    return r;
  };

  // `.rows()` walks every page (`next_page`) and flattens buckets: one row per bucket per project.
  for await (const u of admin.usage
    .completions({ start_time, end_time, bucket_width: '1d', group_by: ['project_id'] })
    .rows()) {
    const r = row(u.project_id, u.start_time);
    r.requests += u.num_model_requests;
    r.input_tokens += u.input_tokens;
    r.cached_input_tokens += u.input_cached_tokens ?? 0;
    r.output_tokens += u.output_tokens;
  }
  for await (const c of admin.costs({ start_time, end_time, bucket_width: '1d', group_by: ['project_id'] }).rows()) {
    const r = row(c.project_id, c.start_time);
    const currency = c.amount?.currency ?? '';
    if (r.currency && currency && r.currency !== currency)
      throw new Error(`mixed currencies for ${r.project_id} on ${r.date}`);
    r.currency ||= currency;
    r.cost += Number(c.amount?.value ?? 0);
  }

  const rows = [...byKey.values()]
    .map((r) => ({ ...r, cost: Number(r.cost.toFixed(6)) }))
    .sort(
      (a, b) =>
        a.project_name.localeCompare(b.project_name) ||
        a.project_id.localeCompare(b.project_id) ||
        a.date.localeCompare(b.date),
    );
  const totals = { requests: 0, input_tokens: 0, output_tokens: 0, cost: 0 };
  for (const r of rows) {
    totals.requests += r.requests;
    totals.input_tokens += r.input_tokens;
    totals.output_tokens += r.output_tokens;
    totals.cost += r.cost;
  }
  return { csv: toCsv(CSV_COLUMNS, rows), rows, totals };
}

if (isMain('export-usage-csv')) {
  runCli({ mutating: false }, async ({ admin, args }) => {
    const days = numberFlag(args, '--days', 30);
    const out = flag(args, '--out') ?? join(tmpdir(), `openai-usage-${new Date().toISOString().slice(0, 10)}.csv`);
    const { csv, rows, totals } = await main(admin, { days });
    await writeFile(out, csv);
    const perProject = new Map<string, { project: string; days: number; requests: number; cost: number }>();
    for (const r of rows) {
      const p = perProject.get(r.project_id) ?? { project: r.project_name, days: 0, requests: 0, cost: 0 };
      p.days++;
      p.requests += r.requests;
      p.cost += r.cost;
      perProject.set(r.project_id, p);
    }
    printTable(
      `Last ${days} days by project`,
      [...perProject.values()].map((p) => ({ ...p, cost: p.cost.toFixed(2) })),
    );
    console.log(
      `\n${rows.length} rows, ${totals.requests.toLocaleString('en-US')} requests, ${totals.cost.toFixed(2)} total cost → ${out}`,
    );
  }).catch(exitOnError);
}
