import type { OperationSpec } from '../../generated/operations.gen.js';

// Query strings carry only text; the generated validators expect typed values. These are the
// non-string scalars of the admin API, listed here rather than read from the spec at runtime
// because the emulator must not load openapi.yaml.
const INTEGER_PARAMS = new Set(['limit', 'start_time', 'end_time', 'effective_at']);
const BOOLEAN_PARAMS = new Set(['include_archived', 'batch', 'tenant_only']);

function coerce(name: string, value: string): unknown {
  if (INTEGER_PARAMS.has(name) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_PARAMS.has(name) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/**
 * Builds the typed query object for one operation. Arrays are accepted both as `ids=a&ids=b` and
 * `ids[]=a` because clients (and the spec, for audit logs) use both spellings; deepObject params
 * arrive as `effective_at[gt]=…`. Unknown parameters are ignored, as the real API does.
 */
export function parseQuery(search: URLSearchParams, op: OperationSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of op.query) {
    const bare = spec.name.replace(/\[\]$/, '');
    if (spec.kind === 'array') {
      const values = [...search.getAll(bare), ...search.getAll(`${bare}[]`)].flatMap((v) => v.split(','));
      if (values.length) out[spec.name] = values.map((v) => coerce(bare, v));
    } else if (spec.kind === 'object') {
      const obj: Record<string, unknown> = {};
      for (const [key, value] of search) {
        const m = /^(\w+)\[(\w+)\]$/.exec(key);
        if (m && m[1] === bare) obj[m[2]] = coerce(bare, value);
      }
      if (Object.keys(obj).length) out[spec.name] = obj;
    } else {
      const value = search.get(spec.name);
      if (value !== null) out[spec.name] = coerce(spec.name, value);
    }
  }
  return out;
}
