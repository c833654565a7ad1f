/** `report spend` as text: a header, a table with a totals row, and per-row sparklines on a terminal. Pure. */
import { renderTable } from '../output/table.js';
import type { SpendReport } from './spend-report.js';

const BARS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled to the row's maximum; a zero day is a space so gaps show. Pure. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) =>
      v <= 0 || max === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))],
    )
    .join('');
}

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export function reportHeader(report: SpendReport): string {
  const label = { project: 'project', line_item: 'line item', model: 'model' }[report.by];
  return `Spend by ${label}, ${report.from} → ${report.to} (${report.dates.length} days, UTC), ${report.currency || 'no costs'}; total ${money(report.totals.cost)} ${report.currency}`.trimEnd();
}

export function renderSpendTable(report: SpendReport, options: { sparklines: boolean }): string {
  const usage = report.totals.requests !== undefined;
  const nameHeader = { project: 'project', line_item: 'line_item', model: 'model' }[report.by];
  const columns = [
    'name',
    ...(report.by === 'project' ? ['id'] : []),
    'cost',
    'share',
    ...(usage ? ['requests', 'input_tokens', 'output_tokens'] : []),
    ...(options.sparklines ? ['daily'] : []),
  ];
  const toRow = (r: {
    name: string;
    key?: string;
    cost: number;
    share?: number;
    daily: number[];
    requests?: number;
    input_tokens?: number;
    output_tokens?: number;
  }) => ({
    name: r.name,
    id: r.key ?? '',
    cost: money(r.cost),
    share: r.share === undefined ? '' : percent(r.share),
    requests: r.requests,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    daily: sparkline(r.daily),
  });
  const rows = report.rows.map(toRow);
  const footer = [toRow({ name: 'TOTAL', key: '', ...report.totals, share: report.totals.cost > 0 ? 1 : 0 })];
  const headers = {
    name: nameHeader,
    cost: `cost (${report.currency || '-'})`,
    daily: `daily ${report.from.slice(5)}…${report.to.slice(5)}`,
  };
  // Money and shares are preformatted text: right-aligned like numbers.
  return `${reportHeader(report)}\n\n${renderTable(columns, rows, { footer, headers, rightAlign: ['cost', 'share'] })}`;
}

/** Flat rows for CSV / NDJSON: one per group, with a column per day. */
export function spendRows(report: SpendReport): Record<string, unknown>[] {
  return report.rows.map((r) => ({
    key: r.key,
    name: r.name,
    cost: r.cost,
    currency: report.currency,
    share: Number(r.share.toFixed(6)),
    ...(r.requests !== undefined
      ? { requests: r.requests, input_tokens: r.input_tokens, output_tokens: r.output_tokens }
      : {}),
    ...Object.fromEntries(report.dates.map((d, i) => [d, r.daily[i]])),
  }));
}
