/**
 * Output formats: a table (default), `--json` (one document: the object, or an array for a list), `--ndjson`
 * (one object per line), `--csv` (RFC 4180 with a header row; cells a spreadsheet would
 * run as formulas neutralised unless --csv-raw: csv.ts). `--fields a,b.c` picks columns in every format; a field
 * no item has is warned about (on a list: a usage error when the first page has no such field at all). Lists stream
 * in every format (ListPrinter). Values nested deeper than MAX_OUTPUT_DEPTH are cut (depth.ts), with a warning.
 * Control characters are escaped on the way out (safe-text.ts, applied to the streams by io.ts).
 */
import { UsageError } from '../errors.js';
import { closestName } from '../../core/base/suggest.js';
import { defaultColumns } from './columns.js';
import { csvLine, renderCsv } from './csv.js';
import { boundDepth, MAX_OUTPUT_DEPTH } from './depth.js';
import { flatten, hasField, pickFields, unionKeys, type Flat } from './flatten.js';
import { layoutTable, renderHead, renderRecord, renderRows, type TableLayout } from './table.js';

export type Format = 'table' | 'json' | 'ndjson' | 'csv';

export interface OutputOptions {
  format: Format;
  fields?: readonly string[];
  /** --csv-raw: CSV cells exactly as sent (no formula neutralising, no control escapes). */
  csvRaw?: boolean;
  /** Where warnings about the output go (stderr in the CLI); none: not reported. */
  warn?: (message: string) => void;
  /** Where remarks that are not data go (stderr on a terminal in the CLI: dropped columns, `(no items)` in a pipe). */
  note?: (message: string) => void;
  /** Tables: the widest a line may be (output/width.ts); absent: no limit. */
  width?: number;
  /** --wide: every column (tables of unknown objects otherwise show at most 8). */
  wide?: boolean;
  /** stdout is a terminal: `(no items)` is printed there rather than noted. */
  terminal?: boolean;
  /** CSV header for a list with no items and no --fields (the list's usual columns). */
  emptyColumns?: readonly string[];
}

export interface Writer {
  write(text: string, done?: (err?: Error | null) => void): unknown;
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

/** The reader of stdout went away (`| head -1`): the list stops fetching; not an error. */
export class OutputClosed extends Error {
  constructor() {
    super('output closed by its reader');
  }
}

/** `--json`'s array as JSON.stringify(array, null, 2) writes it, one item at a time. */
const jsonItem = (item: unknown) => `  ${JSON.stringify(item, null, 2).replace(/\n/g, '\n  ')}`;

/**
 * Prints the items of a list as they arrive, page by page, in every format: NDJSON a line per item, JSON an array
 * written item by item, CSV with its header from the first page, a table laid out (columns, widths, fitted to the
 * width) from the first page. Memory holds one page, whatever the number of items: `add` resolves once the page is
 * written, so a slow reader slows the fetching instead of filling memory. Unknown --fields names are a usage
 * error, raised on the first page before anything is printed.
 */
export class ListPrinter {
  readonly #notes: OutputNotes;
  #layout: TableLayout | undefined;
  #csvColumns: readonly string[] | undefined;
  count = 0;

  constructor(
    private readonly out: Writer,
    private readonly options: OutputOptions,
  ) {
    this.#notes = new OutputNotes(options);
  }

  /** Prints one page of items; resolves when the output has taken it (rejects with OutputClosed on a closed pipe). */
  async add(items: readonly unknown[]): Promise<void> {
    if (items.length === 0) return;
    const { format, fields } = this.options;
    const first = this.count === 0;
    const prepared = items.map((raw) => this.#notes.prepare(raw));
    if (first && fields) checkFields(fields, prepared);
    this.count += items.length;
    let text: string;
    if (format === 'json' || format === 'ndjson') {
      const picked = prepared.map(({ item, flat }) => (fields ? pickFields(item, fields, flat) : item));
      text =
        format === 'ndjson'
          ? picked.map((i) => JSON.stringify(i) + '\n').join('')
          : (first ? '[\n' : ',\n') + picked.map(jsonItem).join(',\n');
    } else {
      const rows = prepared.map(({ item, flat }) => flat ?? flatten(item));
      if (format === 'csv') {
        text = '';
        if (!this.#csvColumns) {
          this.#csvColumns = fields ?? unionKeys(rows);
          text = csvLine(this.#csvColumns, this.options.csvRaw);
        }
        text += renderCsv(this.#csvColumns, rows, { raw: this.options.csvRaw, header: false });
      } else {
        text = '';
        if (!this.#layout) {
          const columns = fields ?? defaultColumns(rows, { all: this.options.wide === true });
          this.#layout = layoutTable(columns, rows, { maxWidth: this.options.width ?? Infinity });
          if (this.#layout.dropped.length)
            this.options.note?.(
              `not shown at ${this.options.width} columns: ${this.#layout.dropped.join(', ')} (--wide shows every column)`,
            );
          text = renderHead(this.#layout);
        }
        text += renderRows(this.#layout, rows);
      }
    }
    await writeWhole(this.out, text);
  }

  /** Closes the list: the JSON array's end, an empty CSV's header, `(no items)`; the warnings. */
  async end(): Promise<void> {
    const { format, fields } = this.options;
    this.#notes.report(this.count);
    if (format === 'ndjson') return;
    if (format === 'json') return writeWhole(this.out, this.count ? '\n]\n' : '[]\n');
    if (this.count > 0) return;
    if (format === 'csv') {
      const columns = fields ?? this.options.emptyColumns ?? [];
      return columns.length ? writeWhole(this.out, csvLine(columns, this.options.csvRaw)) : undefined;
    }
    // Not data: on a terminal it is the answer; in a pipe it would be read as a row.
    if (this.options.terminal) return writeWhole(this.out, '(no items)\n');
    this.options.note?.('(no items)');
  }
}

/** Writes and waits until the stream has taken the text (its callback): backpressure for the list's fetching. */
function writeWhole(out: Writer, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err?: Error | null) => {
      if (settled) return;
      settled = true;
      if (!err) resolve();
      else reject((err as NodeJS.ErrnoException).code === 'EPIPE' ? new OutputClosed() : err);
    };
    out.write(text, done);
    // A writer without a callback (a string collector) has taken the text once write returns.
    if (out.write.length < 2) done();
  });
}

/**
 * `--fields` names checked against the first page: a name whose first segment no item has is a typo (usage error
 * with the closest name); a dotted name under a field that exists may still appear later (warned about at the end).
 */
function checkFields(fields: readonly string[], prepared: readonly { item: unknown; flat: Flat | undefined }[]): void {
  const top = new Set<string>();
  const flatKeys = new Set<string>();
  for (const { item, flat } of prepared) {
    if (item !== null && typeof item === 'object') for (const k of Object.keys(item)) top.add(k);
    for (const k of Object.keys(flat ?? flatten(item))) flatKeys.add(k);
  }
  for (const f of fields) {
    if (flatKeys.has(f) || top.has(f.split('.')[0])) continue;
    const guess = closestName(f, [...flatKeys, ...top]);
    throw new UsageError(`--fields: no field '${f}' in these items`, guess ? `did you mean ${guess}?` : undefined);
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
