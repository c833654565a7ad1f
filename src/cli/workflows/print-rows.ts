import type { Context } from '../context.js';
import { flatten } from '../output/flatten.js';
import { ListPrinter } from '../output/printer.js';
import { renderTable } from '../output/table.js';

/** A workflow's rows in the chosen format; on a table (without --fields), these columns and an optional title. */
export function printRows(
  ctx: Context,
  rows: readonly object[],
  tableColumns: readonly string[],
  title?: string,
): void {
  if (ctx.output.format === 'table' && !ctx.output.fields) {
    if (title) ctx.io.stdout.write(`${title}\n\n`);
    ctx.io.stdout.write(
      rows.length
        ? renderTable(
            tableColumns,
            rows.map((r) => flatten(r)),
          )
        : '(none)\n',
    );
    return;
  }
  const printer = new ListPrinter(ctx.io.stdout, ctx.output);
  printer.add(rows);
  printer.end();
}

/** A non-negative whole number flag. */
export function wholeNumber(
  value: unknown,
  flag: string,
  fallback: number,
  UsageErrorClass: new (m: string) => Error,
): number {
  if (value === undefined) return fallback;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (!/^\d+$/.test(text)) throw new UsageErrorClass(`--${flag} expects a whole number, got '${text}'`);
  return Number(text);
}
