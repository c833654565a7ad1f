/** Small terminal helpers shared by the examples: the CLI's own table renderer and key redaction. */
import { renderTable } from '../../src/cli/output/table.js';
import { redactSecret } from '../../src/cli/workflows/tour.js';

type Row = Record<string, string | number | null | undefined>;

/** Prints rows as an aligned table under a title: numbers right-aligned with separators, times as dates. */
export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return console.log('  (none)');
  console.log(renderTable(Object.keys(rows[0]!), rows).replace(/^/gm, '  ').trimEnd());
}

/** A one-line progress indicator on terminals; silent when output is piped. */
export function progress(message: string): void {
  if (!process.stdout.isTTY) return;
  process.stdout.write(`\r\x1b[2K${message ? `  … ${message}` : ''}`);
}

/** A secret shown the way a careful script would log it. */
export const redact = redactSecret;
