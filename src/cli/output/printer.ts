/**
 * Output formats: a table (default), `--json` (one document: the object, or an array for a list), `--ndjson`
 * (one object per line, written as pages arrive), `--csv` (RFC 4180 with a header row). `--fields a,b.c`
 * picks columns in every format.
 */
import { defaultColumns } from './columns.js';
import { renderCsv } from './csv.js';
import { flatten, pickFields, unionKeys } from './flatten.js';
import { renderRecord, renderTable } from './table.js';

export type Format = 'table' | 'json' | 'ndjson' | 'csv';

export interface OutputOptions {
  format: Format;
  fields?: readonly string[];
}

export interface Writer {
  write(text: string): unknown;
}

/** Collects (or, for NDJSON, streams) the items of a list and prints them in the chosen format. */
export class ListPrinter {
  readonly #items: unknown[] = [];
  count = 0;

  constructor(
    private readonly out: Writer,
    private readonly options: OutputOptions,
  ) {}

  add(items: readonly unknown[]): void {
    this.count += items.length;
    if (this.options.format === 'ndjson') {
      if (items.length) this.out.write(items.map((i) => JSON.stringify(this.pick(i)) + '\n').join(''));
    } else this.#items.push(...items);
  }

  end(): void {
    const { format, fields } = this.options;
    if (format === 'ndjson') return;
    if (format === 'json')
      return void this.out.write(
        JSON.stringify(
          this.#items.map((i) => this.pick(i)),
          null,
          2,
        ) + '\n',
      );
    const rows = this.#items.map((i) => flatten(i));
    if (format === 'csv') return void this.out.write(renderCsv(fields ?? unionKeys(rows), rows));
    if (rows.length === 0) return void this.out.write('(no items)\n');
    this.out.write(renderTable(fields ?? defaultColumns(rows), rows));
  }

  private pick(item: unknown): unknown {
    return this.options.fields ? pickFields(item, this.options.fields) : item;
  }
}

/** One object (a retrieve, a create, a delete confirmation). */
export function printObject(out: Writer, options: OutputOptions, value: unknown): void {
  const picked = options.fields ? pickFields(value, options.fields) : value;
  switch (options.format) {
    case 'json':
      return void out.write(JSON.stringify(picked, null, 2) + '\n');
    case 'ndjson':
      return void out.write(JSON.stringify(picked) + '\n');
    case 'csv': {
      const flat = flatten(picked);
      return void out.write(renderCsv(options.fields ?? Object.keys(flat), [flat]));
    }
    default:
      out.write(renderRecord(flatten(picked)));
  }
}
