/** Small terminal helpers shared by the examples. */

type Row = Record<string, string | number | null | undefined>;

/** Prints rows as an aligned table: numbers right-aligned, everything else left-aligned. */
export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return console.log('  (none)');
  const columns = Object.keys(rows[0]!);
  const cell = (v: Row[string]) => (v === null || v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[], numeric: boolean[]) =>
    '  ' + values.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  const numeric = columns.map((c) => rows.every((r) => typeof r[c] === 'number'));
  console.log(line(columns, numeric));
  console.log(line(widths.map((w) => '-'.repeat(w)), numeric.map(() => false)));
  for (const r of rows) console.log(line(columns.map((c) => cell(r[c])), numeric));
}

/** A one-line progress indicator on terminals; silent when output is piped. */
export function progress(message: string): void {
  if (!process.stdout.isTTY) return;
  process.stdout.write(`\r\x1b[2K${message ? `  … ${message}` : ''}`);
}

/** A secret shown the way a careful script would log it. */
export function redact(secret: string | undefined | null): string {
  if (!secret) return '(none)';
  return `${secret.slice(0, 10)}…${secret.slice(-4)}`;
}
