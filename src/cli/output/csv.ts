/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote, CR or LF. Pure.
 *
 * A cell a spreadsheet would read as a formula (OWASP "CSV injection": it starts with `=`, `+`, `-`, `@`, tab or
 * CR, leading spaces aside, or with the full-width `＝＋－＠` that spreadsheets in East Asian locales also take) gets a `'` in front, so Excel, LibreOffice and Sheets show it as text instead of
 * running it (`=HYPERLINK(…)`, `=cmd|…`, `@SUM(…)`). A value that is a plain decimal number (`-5`, `+1.5`,
 * `-2e3`), as a JSON number or a string, is left alone: a spreadsheet reads it as that number, nothing else.
 * Other control characters are escaped (safe-text.ts; CR, LF and tab stay), whoever writes the text out.
 * `raw` (the CLI's --csv-raw) writes every cell exactly as it came.
 */

import { escapeControls } from './safe-text.js';

const FORMULA_START = /^[\t\r]|^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The cell a spreadsheet cannot run: `'` before a formula-like text, numbers as they are. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

export function csvField(value: unknown, raw = false): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const s = raw ? text : neutraliseFormula(escapeControls(text, 'structure'));
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvLine = (values: readonly unknown[], raw = false): string =>
  values.map((v) => csvField(v, raw)).join(',') + '\r\n';

/** Cells are read as own properties only: a column named `constructor` is empty, not `Object`'s. */
export function renderCsv(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  options: { raw?: boolean; header?: boolean } = {},
): string {
  const raw = options.raw === true;
  return (
    (options.header === false ? '' : csvLine(columns, raw)) +
    rows
      .map((r) =>
        csvLine(
          columns.map((c) => (Object.hasOwn(r, c) ? r[c] : undefined)),
          raw,
        ),
      )
      .join('')
  );
}
