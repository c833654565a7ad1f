/**
 * `report spend` as text: a header (period, previous period, partial day, month-to-date and forecast, spend limit
 * and alerts), a table with a totals row, and per-row sparklines on a terminal. Pure.
 */
import { layoutTable, renderTable } from '../output/table.js';
import { wrapText } from '../output/width.js';
import type { SpendReport, SpendRow } from './spend-report.js';

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

export const money = (n: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
/** A change with its sign: "+12.30", "-4.00", "0.00". */
export const signedMoney = (n: number): string => (n > 0 ? '+' : n < 0 ? '-' : '') + money(Math.abs(n));
/** A change in percent with its sign, or "new" when the previous period had nothing to compare with. */
export const signedPercent = (pct: number | null, cost: number): string =>
  pct === null ? (cost > 0 ? 'new' : '') : `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
/** Cost per million tokens, or nothing without tokens. */
export const perMillion = (n: number | null | undefined): string => (typeof n === 'number' ? money(n) : '');

/** The header lines: what the numbers cover and what to compare them with. */
export function reportHeader(report: SpendReport): string {
  const label = { project: 'project', line_item: 'line item', model: 'model' }[report.by];
  const cur = report.currency || 'USD';
  const lines = [
    `Spend by ${label}, ${report.from} → ${report.to} (${report.dates.length} days, UTC), ${report.currency || 'no costs'}; total ${money(report.totals.cost)} ${report.currency}`.trimEnd(),
    `Previous period ${report.previous.from} → ${report.previous.to} (${report.previous.description}): ${money(report.previous.cost)} ${cur}; change ${signedMoney(report.totals.change)} ${cur}${report.totals.change_pct === null ? '' : ` (${signedPercent(report.totals.change_pct, report.totals.cost)})`}`,
  ];
  if (report.partialDay) lines.push(`Today (${report.partialDay}) is a partial day: its costs are still coming in.`);
  if (report.month)
    lines.push(
      `Month to date (${report.month.month}): ${money(report.month.monthToDate)} ${cur}; forecast to month end ${money(report.month.forecast)} ${cur}; method: ${report.month.method}`,
    );
  const t = report.thresholds;
  if (t && (t.limit !== undefined || t.alerts.length))
    lines.push(
      [
        t.limit !== undefined ? `spend limit ${money(t.limit)} ${t.currency}/month` : 'no spend limit',
        t.alerts.length ? `alerts at ${t.alerts.map(money).join(', ')} ${t.currency}` : 'no spend alerts',
      ]
        .join('; ')
        .replace(/^./, (c) => c.toUpperCase()),
    );
  return lines.join('\n');
}

type TableRow = Pick<SpendRow, 'name' | 'cost' | 'daily' | 'previous_cost' | 'change' | 'change_pct'> &
  Partial<Pick<SpendRow, 'key' | 'share' | 'requests' | 'input_tokens' | 'output_tokens' | 'cost_per_1m_tokens'>>;

/**
 * The report as text: its header lines, then the table. `width` (a terminal's columns) fits both as every table
 * fits: the header wrapped, columns cut or left out (from the right) and named through `note`; absent: no limit.
 */
export function renderSpendTable(
  report: SpendReport,
  options: { sparklines: boolean; width?: number; note?: (message: string) => void },
): string {
  const width = options.width ?? Infinity;
  const usage = report.totals.requests !== undefined;
  const nameHeader = { project: 'project', line_item: 'line_item', model: 'model' }[report.by];
  const columns = [
    'name',
    ...(report.by === 'project' ? ['id'] : []),
    'cost',
    'share',
    'previous',
    'change',
    'change_pct',
    ...(usage ? ['requests', 'input_tokens', 'output_tokens', 'per_1m_tokens'] : []),
    ...(options.sparklines ? ['daily'] : []),
  ];
  const toRow = (r: TableRow) => ({
    name: r.name,
    id: r.key ?? '',
    cost: money(r.cost),
    share: r.share === undefined ? '' : percent(r.share),
    previous: money(r.previous_cost),
    change: signedMoney(r.change),
    change_pct: signedPercent(r.change_pct, r.cost),
    requests: r.requests,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    per_1m_tokens: perMillion(r.cost_per_1m_tokens),
    daily: sparkline(r.daily),
  });
  const rows = report.rows.map(toRow);
  const footer = [toRow({ name: 'TOTAL', key: '', ...report.totals, share: report.totals.cost > 0 ? 1 : 0 })];
  const cur = report.currency || '-';
  const headers = {
    name: nameHeader,
    cost: `cost (${cur})`,
    previous: `previous (${cur})`,
    change_pct: 'change %',
    per_1m_tokens: `${cur}/1M tokens`,
    daily: `daily ${report.from.slice(5)}…${report.to.slice(5)}${report.partialDay ? ' (last partial)' : ''}`,
  };
  // Money and shares are preformatted text: right-aligned like numbers.
  const table = {
    footer,
    headers,
    rightAlign: ['cost', 'share', 'previous', 'change', 'change_pct', 'per_1m_tokens'],
    maxWidth: width,
  };
  const { dropped } = layoutTable(columns, rows, table);
  if (dropped.length)
    options.note?.(`not shown at ${width} columns: ${dropped.join(', ')} (--wide shows every column)`);
  const header = reportHeader(report)
    .split('\n')
    .map((line) => wrapText(line, width))
    .join('\n');
  return `${header}\n\n${renderTable(columns, rows, table)}`;
}

/** Flat rows for `--fields` on a table: one per group, with a column per day. */
export function spendRows(report: SpendReport): Record<string, unknown>[] {
  return report.rows.map((r) => ({
    key: r.key,
    name: r.name,
    cost: r.cost,
    currency: report.currency,
    share: Number(r.share.toFixed(6)),
    previous_cost: r.previous_cost,
    change: r.change,
    change_pct: r.change_pct,
    ...(r.requests !== undefined
      ? {
          requests: r.requests,
          input_tokens: r.input_tokens,
          output_tokens: r.output_tokens,
          cost_per_1m_tokens: r.cost_per_1m_tokens,
        }
      : {}),
    ...Object.fromEntries(report.dates.map((d, i) => [d, r.daily[i]])),
  }));
}
