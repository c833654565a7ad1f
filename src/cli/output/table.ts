import { formatCell, isNumericCell, isTimeColumn, oneLine } from './cells.js';
import type { Flat } from './flatten.js';

/**
 * Plain-text tables: a header, a rule, one line per row; numeric columns right-aligned; optional footer rows
 * (totals) under a second rule. Widths count code points, so a sparkline or an accented name lines up. Pure.
 *
 * A table can be laid out once from its first rows and then printed row by row (output/printer.ts streams lists
 * that way), and it can be fitted to a width (the terminal's): cells are cut with an ellipsis, and when even the
 * cut columns do not fit, the columns at the end of the list (the least useful: column lists put the essentials
 * first) are left out and named in `dropped`.
 */

/** Columns are separated by this many spaces. */
const GAP = 2;
/** A text column is cut no narrower than this (its header aside): ten characters still tell names apart. */
const MIN_TEXT = 10;

export interface TableOptions {
  footer?: readonly Flat[];
  headers?: Record<string, string>;
  rightAlign?: readonly string[];
  /** The widest a line may be (a terminal's columns); Infinity or absent: no limit. */
  maxWidth?: number;
}

/** How a table's columns are printed: which, how wide, aligned how; `dropped` are the columns left out to fit. */
export interface TableLayout {
  readonly columns: readonly string[];
  readonly headers: readonly string[];
  readonly widths: readonly number[];
  readonly numeric: readonly boolean[];
  readonly dropped: readonly string[];
  /** Whether cells wider than their column are cut (a fitted table) or overflow it (no width limit). */
  readonly cut: boolean;
}

const len = (s: string) => [...s].length;

/** The text cut to `width` code points, its last one an ellipsis when anything was cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 0 ? '' : chars.slice(0, width - 1).join('') + '…';
}

/**
 * Never cut (rather a column less): ids and emails, what a person copies into the next command; times and event
 * types, which a cut makes wrong rather than short (`2026-11-29T1…`).
 */
const isWholeColumn = (column: string) => /(^|[._])(id|email|event|time)$/.test(column) || isTimeColumn(column);

/**
 * Which columns fit in `maxWidth` and how wide each may be. Natural widths are kept while they fit; otherwise the
 * widest cuttable column gives up one character at a time down to its minimum (ids, emails, times and event types are not cut; text keeps
 * MIN_TEXT), and when the minimums alone are too wide, columns are dropped from the end (the first always stays).
 * Pure.
 * @example
 * fitColumns(['id', 'name'], [12, 40], 40) // { keep: [0, 1], widths: [12, 26] }
 */
export function fitColumns(
  columns: readonly string[],
  natural: readonly number[],
  maxWidth: number,
): { keep: number[]; widths: number[] } {
  const min = natural.map((w, i) => (isWholeColumn(columns[i]) ? w : Math.min(w, MIN_TEXT)));
  const keep = natural.map((_, i) => i);
  const total = (ws: (i: number) => number) => keep.reduce((s, i) => s + ws(i), 0) + GAP * (keep.length - 1);
  while (keep.length > 1 && total((i) => min[i]) > maxWidth) keep.pop();
  const widths = [...natural];
  let excess = total((i) => widths[i]) - maxWidth;
  while (excess > 0) {
    let widest = -1;
    for (const i of keep) if (widths[i] > min[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
    if (widest < 0) break;
    widths[widest]--;
    excess--;
  }
  // One column still too wide (a long id at a narrow width): cut it anyway.
  if (keep.length === 1 && widths[keep[0]] > maxWidth) widths[keep[0]] = Math.max(1, maxWidth);
  return { keep, widths: keep.map((i) => widths[i]) };
}

/** The layout of a table from (its first) rows: natural widths, alignment, then fitted to `maxWidth`. */
export function layoutTable(
  columns: readonly string[],
  rows: readonly Flat[],
  options: TableOptions = {},
): TableLayout {
  const all = [...rows, ...(options.footer ?? [])];
  const headers = columns.map((c) => oneLine(options.headers?.[c] ?? c));
  const natural = columns.map((c, i) => Math.max(len(headers[i]), ...all.map((r) => len(formatCell(c, own(r, c))))));
  const numeric = columns.map(
    (c) =>
      options.rightAlign?.includes(c) === true ||
      (all.some((r) => isNumericCell(c, own(r, c))) &&
        all.every((r) => own(r, c) == null || isNumericCell(c, own(r, c)))),
  );
  const maxWidth = options.maxWidth ?? Infinity;
  if (!Number.isFinite(maxWidth)) return { columns, headers, widths: natural, numeric, dropped: [], cut: false };
  const { keep, widths } = fitColumns(columns, natural, maxWidth);
  return {
    columns: keep.map((i) => columns[i]),
    headers: keep.map((i) => headers[i]),
    widths,
    numeric: keep.map((i) => numeric[i]),
    dropped: columns.filter((_, i) => !keep.includes(i)),
    cut: true,
  };
}

function line(layout: TableLayout, values: readonly string[]): string {
  return values
    .map((v, i) => {
      const s = layout.cut ? truncate(v, layout.widths[i]) : v;
      const pad = ' '.repeat(Math.max(0, layout.widths[i] - len(s)));
      return layout.numeric[i] ? pad + s : s + pad;
    })
    .join(' '.repeat(GAP))
    .trimEnd();
}

/** The header line and the rule under it. */
export function renderHead(layout: TableLayout): string {
  return `${line(layout, layout.headers)}\n${renderRule(layout)}\n`;
}

const renderRule = (layout: TableLayout) =>
  line(
    layout,
    layout.widths.map((w) => '-'.repeat(w)),
  );

/** Rows as lines under a layout (a row's cells cut to their column when the layout is fitted). */
export function renderRows(layout: TableLayout, rows: readonly Flat[]): string {
  let out = '';
  for (const r of rows)
    out +=
      line(
        layout,
        layout.columns.map((c) => formatCell(c, own(r, c))),
      ) + '\n';
  return out;
}

/** A whole table at once (head, rows, footer under a second rule). */
export function renderTable(columns: readonly string[], rows: readonly Flat[], options: TableOptions = {}): string {
  const layout = layoutTable(columns, rows, options);
  const footer = options.footer ?? [];
  return (
    renderHead(layout) +
    renderRows(layout, rows) +
    (footer.length ? `${renderRule(layout)}\n${renderRows(layout, footer)}` : '')
  );
}

/** One object as `field  value` lines; the field names (server text too) on one line, controls escaped. */
export function renderRecord(flat: Flat): string {
  const keys = Object.keys(flat);
  const names = keys.map(oneLine);
  const width = Math.max(0, ...names.map((k) => [...k].length));
  return (
    keys.map((k, i) => `${names[i]}${' '.repeat(width - [...names[i]].length)}  ${formatCell(k, flat[k])}`).join('\n') +
    '\n'
  );
}

/** A row's own field: a column named `constructor` is empty, not Object's. */
const own = (row: Flat, column: string): unknown => (Object.hasOwn(row, column) ? row[column] : undefined);
