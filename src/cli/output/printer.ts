/**
 * Output formats: a table (default), `--json` (one document: the object, or an array for a list), `--ndjson`
 * (one object per line, written as pages arrive), `--csv` (RFC 4180 with a header row; cells a spreadsheet would
 * run as formulas neutralised unless --csv-raw: csv.ts). `--fields a,b.c` picks columns in every format; a field
 * no item has is warned about. Values nested deeper than MAX_OUTPUT_DEPTH are cut (depth.ts), with a warning.
 * Control characters are escaped on the way out (safe-text.ts, applied to the streams by io.ts).
 */
import { defaultColumns } from './columns.js';
import { renderCsv } from './csv.js';
import { boundDepth, MAX_OUTPUT_DEPTH } from './depth.js';
import { flatten, hasField, pickFields, unionKeys, type Flat } from './flatten.js';
import { renderRecord, renderTable } from './table.js';

export type Format = 'table' | 'json' | 'ndjson' | 'csv';

export interface OutputOptions {
  format: Format;
  fields?: readonly string[];
  /** --csv-raw: CSV cells exactly as sent (no formula neutralising, no control escapes). */
  csvRaw?: boolean;
  /** Where warnings about the output go (stderr in the CLI); none: not reported. */
  warn?: (message: string) => void;
}

export interface Writer {
  write(text: string): unknown;
}

/** What printing found worth a warning: a value cut for depth, and the --fields names that matched nothing. */
class OutputNotes {
  #cut = false;
  readonly #missing: Set<string>;

  constructor(private readonly options: OutputOptions) {
    this.#missing = new Set(options.fields ?? []);
  }

  /**
   * The item as it may be printed (depth-bounded) and, when the format or --fields needs it, flattened; notes
   * which --fields names it has.
   */
  prepare(item: unknown): { item: unknown; flat: Flat | undefined } {
    const bounded = boundDepth(item);
    this.#cut ||= bounded.cut;
    const { format, fields } = this.options;
    if (!fields && (format === 'json' || format === 'ndjson')) return { item: bounded.value, flat: undefined };
    const flat = flatten(bounded.value);
    for (const f of this.#missing) if (hasField(bounded.value, flat, f)) this.#missing.delete(f);
    return { item: bounded.value, flat };
  }

  report(printed: number): void {
    const { warn } = this.options;
    if (!warn) return;
    if (this.#cut)
      warn(`values nested deeper than ${MAX_OUTPUT_DEPTH} levels are not printed (shown as a marker in their place)`);
    if (printed > 0 && this.#missing.size)
      warn(`--fields: no item has ${[...this.#missing].map((f) => `'${f}'`).join(', ')} (printed as empty)`);
  }
}

/** Collects (or, for NDJSON, streams) the items of a list and prints them in the chosen format. */
export class ListPrinter {
  readonly #items: unknown[] = [];
  readonly #rows: Flat[] = [];
  readonly #notes: OutputNotes;
  count = 0;

  constructor(
    private readonly out: Writer,
    private readonly options: OutputOptions,
  ) {
    this.#notes = new OutputNotes(options);
  }

  add(items: readonly unknown[]): void {
    this.count += items.length;
    const { format, fields } = this.options;
    for (const raw of items) {
      const { item, flat } = this.#notes.prepare(raw);
      if (format === 'json' || format === 'ndjson') this.#items.push(fields ? pickFields(item, fields, flat) : item);
      else this.#rows.push(flat ?? flatten(item));
    }
    if (format === 'ndjson' && this.#items.length)
      this.out.write(
        this.#items
          .splice(0)
          .map((i) => JSON.stringify(i) + '\n')
          .join(''),
      );
  }

  end(): void {
    const { format, fields } = this.options;
    this.#notes.report(this.count);
    if (format === 'ndjson') return;
    if (format === 'json') return void this.out.write(JSON.stringify(this.#items, null, 2) + '\n');
    const rows = this.#rows;
    if (format === 'csv')
      return void this.out.write(renderCsv(fields ?? unionKeys(rows), rows, { raw: this.options.csvRaw }));
    if (rows.length === 0) return void this.out.write('(no items)\n');
    this.out.write(renderTable(fields ?? defaultColumns(rows), rows));
  }
}

/** One object (a retrieve, a create, a delete confirmation). */
export function printObject(out: Writer, options: OutputOptions, value: unknown): void {
  const notes = new OutputNotes(options);
  const { item, flat } = notes.prepare(value);
  const picked = options.fields ? pickFields(item, options.fields, flat) : item;
  notes.report(1);
  switch (options.format) {
    case 'json':
      return void out.write(JSON.stringify(picked, null, 2) + '\n');
    case 'ndjson':
      return void out.write(JSON.stringify(picked) + '\n');
    case 'csv': {
      const row = flatten(picked);
      return void out.write(renderCsv(options.fields ?? Object.keys(row), [row], { raw: options.csvRaw }));
    }
    default:
      out.write(renderRecord(flatten(picked)));
  }
}
