/**
 * Nested objects as dotted columns (`owner.user.email`), the shape tables and CSV need. Arrays stay values
 * (printed as JSON); `--fields a,b.c` picks from the flattened keys. Pure.
 */
export type Flat = Record<string, unknown>;

export function flatten(value: unknown, prefix = '', out: Flat = {}): Flat {
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

/** `--fields a,b.c` applied to one object for JSON output: dotted names read into nested objects. */
export function pickFields(item: unknown, fields: readonly string[]): Record<string, unknown> {
  const flat = flatten(item);
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f in flat) out[f] = flat[f];
    else if (item !== null && typeof item === 'object' && f in item) out[f] = (item as Record<string, unknown>)[f];
    else out[f] = null;
  }
  return out;
}
