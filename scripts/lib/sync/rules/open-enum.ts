/**
 * Open enums in responses: the API adds values over time, so a response-side string enum of two or more values
 * becomes `anyOf: [{type: string, enum}, {type: string, x-open-enum: true}]` (known values stay literals, unknown
 * strings are accepted). Single values (`object: organization.invite`) stay closed: they are tags. $refs are not
 * followed: the caller decides which components are response-side.
 */
import { NOTES, withNote } from './notes';

type Schema = Record<string, any>;

const isOpenable = (s: Schema) =>
  s && s.type === 'string' && Array.isArray(s.enum) && s.enum.length >= 2 && !s['x-stainless-const'];

/** Opens one enum node; the description (and any note) moves to the anyOf node. */
export function openEnum(s: Schema): Schema {
  if (!isOpenable(s)) return s;
  const { description, 'x-curation': notes, ...closed } = s;
  const open: Schema = { anyOf: [closed, { type: 'string', 'x-open-enum': true }] };
  if (description !== undefined) open.description = description;
  if (notes !== undefined) open['x-curation'] = notes;
  return withNote(open, NOTES.openEnum);
}

/** Opens every enum of an inline schema, walking properties, items, allOf/anyOf/oneOf branches. */
export function openEnumsDeep(s: Schema): Schema {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return s;
  if (s.anyOf?.some((b: Schema) => b?.['x-open-enum'])) return s; // already open
  let out: Schema = openEnum(s);
  if (out !== s) return out;
  out = { ...s };
  let changed = false;
  const deep = (v: Schema) => {
    const opened = openEnumsDeep(v);
    changed ||= opened !== v;
    return opened;
  };
  if (s.properties)
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, deep(v as Schema)]));
  if (s.items) out.items = deep(s.items);
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[k])) out[k] = s[k].map(deep);
  // Unchanged nodes come back as they were, so a caller can tell whether the rule applied.
  return changed ? out : s;
}
