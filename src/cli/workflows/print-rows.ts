import type { Context } from '../context.js';
import { flatten } from '../output/flatten.js';
import { ListPrinter } from '../output/printer.js';
import { layoutTable, renderHead, renderRows } from '../output/table.js';

/**
 * A workflow's rows in the chosen format; on a table (without --fields), these columns fitted to the terminal and
 * an optional title. The title and `(none)` are not data: on stdout only when it is a terminal, else remarks on
 * stderr (Context.note), so a pipe gets rows alone.
 */
export async function printRows(
  ctx: Context,
  rows: readonly object[],
  tableColumns: readonly string[],
  title?: string,
): Promise<void> {
  if (ctx.output.format === 'table' && !ctx.output.fields) {
    const say = (text: string) => (ctx.output.terminal ? ctx.io.stdout.write(`${text}\n`) : ctx.note(text));
    if (title) say(ctx.output.terminal ? `${title}\n` : title);
    if (!rows.length) return void say('(none)');
    const flat = rows.map((r) => flatten(r));
    const layout = layoutTable(tableColumns, flat, { maxWidth: ctx.output.width ?? Infinity });
    if (layout.dropped.length)
      ctx.note(`not shown at ${ctx.output.width} columns: ${layout.dropped.join(', ')} (--wide shows every column)`);
    ctx.io.stdout.write(renderHead(layout) + renderRows(layout, flat));
    return;
  }
  const printer = new ListPrinter(ctx.io.stdout, ctx.output);
  await printer.add(rows);
  await printer.end();
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
