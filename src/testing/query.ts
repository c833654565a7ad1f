import type { OperationSpec, QueryParamSpec } from '../../generated/operations.gen.js';

// Query strings carry only text; the generated validators expect typed values. The operations table says
// which values are not text (from the spec, so the emulator never loads openapi.yaml).
function coerce(type: QueryParamSpec['valueType'], value: string): unknown {
  if (
    (type === 'integer' && /^-?\d+$/.test(value)) ||
    (type === 'number' && value.trim() !== '' && Number.isFinite(Number(value)))
  )
    return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
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
      if (values.length) out[spec.name] = values.map((v) => coerce(spec.valueType, v));
    } else if (spec.kind === 'object') {
      const obj: Record<string, unknown> = {};
      for (const [key, value] of search) {
        const m = /^(\w+)\[(\w+)\]$/.exec(key);
        if (m && m[1] === bare) obj[m[2]] = coerce(spec.valueType, value);
      }
      if (Object.keys(obj).length) out[spec.name] = obj;
    } else {
      const value = search.get(spec.name);
      if (value !== null) out[spec.name] = coerce(spec.valueType, value);
    }
  }
  return out;
}
