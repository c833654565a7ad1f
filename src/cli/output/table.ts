import { formatCell, isNumericCell, oneLine } from './cells.js';
import type { Flat } from './flatten.js';

/**
 * A plain-text table: a header, a rule, one line per row; numeric columns right-aligned; optional footer rows
 * (totals) under a second rule. Widths count code points, so a sparkline or an accented name lines up. Pure.
 */
export function renderTable(
  columns: readonly string[],
  rows: readonly Flat[],
  options: { footer?: readonly Flat[]; headers?: Record<string, string>; rightAlign?: readonly string[] } = {},
): string {
  const footer = options.footer ?? [];
  const all = [...rows, ...footer];
  const cells = all.map((r) => columns.map((c) => formatCell(c, own(r, c))));
  const header = columns.map((c) => oneLine(options.headers?.[c] ?? c));
  const len = (s: string) => [...s].length;
  const widths = columns.map((_, i) => Math.max(len(header[i]), ...cells.map((row) => len(row[i]))));
  const numeric = columns.map(
    (c) =>
      options.rightAlign?.includes(c) ||
      (all.some((r) => isNumericCell(c, own(r, c))) &&
        all.every((r) => own(r, c) == null || isNumericCell(c, own(r, c)))),
  );
  const pad = (s: string, i: number) =>
    numeric[i] ? ' '.repeat(widths[i] - len(s)) + s : s + ' '.repeat(widths[i] - len(s));
  const line = (values: string[]) => values.map(pad).join('  ').trimEnd();
  const rule = line(widths.map((w) => '-'.repeat(w)));
  const out = [line(header), rule, ...cells.slice(0, rows.length).map(line)];
  if (footer.length) out.push(rule, ...cells.slice(rows.length).map(line));
  return out.join('\n') + '\n';
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
