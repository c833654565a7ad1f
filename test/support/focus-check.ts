/**
 * Our own FOCUS conformance checker, driven by the rules in test/fixtures/focus/focus-<version>-rules.json (the FOCUS
 * specification's column requirements, each citing its file). Written independently of src/focus: its decimal
 * arithmetic is its own, so a bug in the exporter's cannot hide itself. Null is an empty CSV cell.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './csv';
import { ROOT } from './paths';

type Cell = string | null;
type Row = Record<string, Cell>;

interface ColumnRule {
  column: string;
  source: string;
  featureLevel: 'Mandatory' | 'Recommended' | 'Conditional';
  allowsNulls: boolean;
  dataType: 'String' | 'Decimal' | 'Date/Time' | 'JSON';
  allowedValues?: string[];
  parentCategory?: Record<string, string>;
}

interface Relation {
  id: string;
  source: string;
  rule?: string;
  /** true: check only the columns the dataset has; a list: apply only when these columns are present. */
  ifPresent?: true | string[];
  when?: Record<string, Cell[]>;
  lessThan?: [string, string];
  notNull?: string[];
  null?: string[];
  nullTogether?: [string, string];
  notIn?: Record<string, string[]>;
  product?: [string, string];
  equals?: string;
  nonNegative?: string[];
  equal?: string[];
  parentOf?: [string, string];
}

export interface FocusRules {
  focusVersion: string;
  source: { repository: string; tag: string; commit: string };
  customColumns: { pattern: string; source: string };
  formats: Record<string, { pattern?: string; columns?: string[]; source: string; rule: string }>;
  columns: ColumnRule[];
  relations: Relation[];
}

export interface Violation {
  rule: string;
  source: string;
  row?: number;
  column?: string;
  value?: Cell;
}

export function loadFocusRules(version = '1.2'): FocusRules {
  return JSON.parse(
    readFileSync(join(ROOT, 'test', 'fixtures', 'focus', `focus-${version}-rules.json`), 'utf8'),
  ) as FocusRules;
}

/** A decimal as an integer over a power of ten, exactly (BigInt). */
function scaled(text: string): { units: bigint; scale: number } {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:E(-?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  let units = BigInt(`${whole || '0'}${fraction}`) * (sign ? -1n : 1n);
  let scale = fraction.length - Number(exponent);
  if (scale < 0) ((units *= 10n ** BigInt(-scale)), (scale = 0));
  return { units, scale };
}

/** Compares two decimals exactly: negative, 0 or positive. */
export function compareDecimals(a: string, b: string): number {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale);
  const d = x.units * 10n ** BigInt(scale - x.scale) - y.units * 10n ** BigInt(scale - y.scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** The exact product of two decimals, as a decimal. */
function multiply(a: string, b: string): string {
  const x = scaled(a);
  const y = scaled(b);
  const units = x.units * y.units;
  const scale = x.scale + y.scale;
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  return `${units < 0n ? '-' : ''}${scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
}

/** The exact sum of decimals, as a decimal. */
export function addDecimals(values: readonly string[]): string {
  const terms = values.map(scaled);
  const scale = terms.reduce((s, t) => Math.max(s, t.scale), 0);
  const units = terms.reduce((s, t) => s + t.units * 10n ** BigInt(scale - t.scale), 0n);
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  return `${units < 0n ? '-' : ''}${scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
}

/** Checks a FOCUS dataset (header + rows, null as null) against the rules. */
export function checkFocusRows(
  header: readonly string[],
  rows: readonly Row[],
  rules: FocusRules = loadFocusRules(),
): { violations: Violation[]; warnings: string[] } {
  const violations: Violation[] = [];
  const warnings: string[] = [];
  const byName = new Map(rules.columns.map((c) => [c.column, c]));
  const present = new Set(header);
  const custom = new RegExp(rules.customColumns.pattern);

  if (present.size !== header.length) violations.push({ rule: 'duplicate-column', source: rules.customColumns.source });
  for (const name of header)
    if (!byName.has(name) && !custom.test(name))
      violations.push({ rule: 'unknown-column', source: rules.customColumns.source, column: name });
  for (const c of rules.columns) {
    if (present.has(c.column)) continue;
    if (c.featureLevel === 'Mandatory')
      violations.push({ rule: 'mandatory-column', source: c.source, column: c.column });
    if (c.featureLevel === 'Recommended') warnings.push(`recommended column ${c.column} is not in the dataset`);
  }

  const currency = rules.formats.Currency;
  rows.forEach((row, index) => {
    const bad = (rule: string, source: string, column?: string) =>
      violations.push({ rule, source, row: index, column, value: column ? (row[column] ?? null) : undefined });
    for (const name of header) {
      const rule = byName.get(name);
      if (!rule) continue;
      const value = row[name] ?? null;
      if (value === null) {
        if (!rule.allowsNulls) bad('not-null', rule.source, name);
        continue;
      }
      const format = rules.formats[rule.dataType];
      if (format.pattern && !new RegExp(format.pattern).test(value))
        bad(`format:${rule.dataType}`, format.source, name);
      if (rule.dataType === 'Date/Time' && Number.isNaN(Date.parse(value)))
        bad('format:Date/Time', format.source, name);
      if (rule.dataType === 'JSON') {
        let ok = false;
        try {
          const parsed: unknown = JSON.parse(value);
          ok = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
        } catch {
          ok = false;
        }
        if (!ok) bad('format:JSON', format.source, name);
      }
      if (rule.dataType === 'String' && !rule.allowsNulls && value.trim() === '')
        bad('format:String', format.source, name);
      if (currency.columns?.includes(name) && !new RegExp(currency.pattern!).test(value))
        bad('format:Currency', currency.source, name);
      if (rule.allowedValues && !rule.allowedValues.includes(value)) bad('allowed-values', rule.source, name);
    }

    for (const r of rules.relations) {
      if (Array.isArray(r.ifPresent) && !r.ifPresent.every((c) => present.has(c))) continue;
      const has = (c: string) => r.ifPresent !== true || present.has(c);
      const cell = (c: string): Cell => row[c] ?? null;
      if (r.when && !Object.entries(r.when).every(([c, allowed]) => allowed.includes(cell(c)))) continue;
      const fail = (column?: string) => bad(`relation:${r.id}`, r.source, column);
      if (r.lessThan) {
        const [a, b] = r.lessThan.map(cell);
        if (a !== null && b !== null && !(Date.parse(a) < Date.parse(b))) fail(r.lessThan[0]);
      }
      for (const c of r.notNull ?? []) if (has(c) && cell(c) === null) fail(c);
      for (const c of r.null ?? []) if (present.has(c) && cell(c) !== null) fail(c);
      if (r.nullTogether) {
        const [a, b] = r.nullTogether;
        if ((cell(a) === null) !== (cell(b) === null)) fail(b);
      }
      for (const [c, values] of Object.entries(r.notIn ?? {})) if (values.includes(cell(c) ?? '')) fail(c);
      if (r.product && r.equals) {
        const [a, b] = r.product.map(cell);
        const total = cell(r.equals);
        if (a !== null && b !== null && total !== null && compareDecimals(multiply(a, b), total) !== 0) fail(r.equals);
      }
      for (const c of r.nonNegative ?? []) {
        const v = present.has(c) ? cell(c) : null;
        if (v !== null && compareDecimals(v, '0') < 0) fail(c);
      }
      if (r.equal) {
        const [first, ...others] = r.equal.map(cell);
        for (const [i, v] of others.entries())
          if (first !== null && v !== null && compareDecimals(first, v) !== 0) fail(r.equal[i + 1]);
      }
      if (r.parentOf) {
        const [child, parent] = r.parentOf;
        const parents = byName.get(child)?.parentCategory ?? {};
        const v = cell(child);
        if (v !== null && parents[v] !== undefined && parents[v] !== cell(parent)) fail(child);
      }
    }
  });
  return { violations, warnings };
}

/** Checks FOCUS CSV text: the header row, then rows whose empty cells are nulls. */
export function checkFocusCsv(
  text: string,
  rules: FocusRules = loadFocusRules(),
): { violations: Violation[]; warnings: string[]; header: string[]; rows: Row[] } {
  const [header, ...records] = parseCsv(text);
  const rows = records.map((r) => {
    if (r.length !== header.length) throw new Error(`a row has ${r.length} fields, the header ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, r[i] === '' ? null : r[i]]));
  });
  return { ...checkFocusRows(header, rows, rules), header, rows };
}
