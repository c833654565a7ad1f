/**
 * Nested objects as dotted columns (`owner.user.email`), the shape tables and CSV need. Arrays stay values
 * (printed as JSON); `--fields a,b.c` picks from the flattened keys. Pure.
 *
 * The records have no prototype and fields are looked up as own properties only: a server key `__proto__` is a
 * column like any other (not a new prototype), and `--fields constructor` finds nothing rather than Object's
 * constructor.
 */
export type Flat = Record<string, unknown>;

const record = (): Flat => Object.create(null) as Flat;

export function flatten(value: unknown, prefix = '', out: Flat = record()): Flat {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out[prefix] = value;
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = value;
  else out.value = value;
  return out;
}

/** The union of keys of the rows, in first-seen order. */
export function unionKeys(rows: readonly Flat[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
  return [...keys];
}

/** Whether `--fields` name `field` finds something in the item: a flattened (dotted) key or a top-level key. */
export function hasField(item: unknown, flat: Flat, field: string): boolean {
  return Object.hasOwn(flat, field) || (item !== null && typeof item === 'object' && Object.hasOwn(item, field));
}

/** `--fields a,b.c` applied to one object for JSON output: dotted names read into nested objects; absent ones null. */
export function pickFields(item: unknown, fields: readonly string[], flat: Flat = flatten(item)): Flat {
  const out = record();
  for (const f of fields) {
    if (Object.hasOwn(flat, f)) out[f] = flat[f];
    else if (hasField(item, flat, f)) out[f] = (item as Record<string, unknown>)[f];
    else out[f] = null;
  }
  return out;
}
