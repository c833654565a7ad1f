/** RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote, CR or LF. Pure. */

export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvLine = (values: readonly unknown[]): string => values.map(csvField).join(',') + '\r\n';

export function renderCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join('');
}
