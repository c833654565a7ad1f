/**
 * A small JSON Schema checker for request parts, driven by data (generated/validators/requests.gen.ts) instead of
 * generated code: the request schemas and the definitions they share ship once, as JSON, which keeps a
 * single-file browser bundle small. No eval, no new Function (strict CSP).
 *
 * It knows exactly the keywords the generator lets through (scripts/lib/validators.ts refuses any other) and
 * reports what ajv's compiled code (draft 2020-12, allErrors, strictNumbers, unicode) reports, in the same
 * order: an upfront type error, then keywords by group — untyped ($ref, const, enum, anyOf), number (maximum,
 * minimum), string (maxLength, minLength, pattern), array (maxItems, minItems, items), object (required,
 * additionalProperties, properties). test/core/validation/schema-check.test.ts compares the two on generated inputs.
 */
import type { CompiledValidator } from '../types/operation.js';

/** A request schema as the generator emits it: `$ref` holds a definition name. */
export interface CheckSchema {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: CheckSchema[];
  maximum?: number;
  minimum?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  items?: CheckSchema;
  required?: string[];
  additionalProperties?: boolean | CheckSchema;
  properties?: Record<string, CheckSchema>;
}

type Issue = NonNullable<CompiledValidator['errors']>[number];
type Defs = Record<string, CheckSchema>;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && isFinite(v);
const TYPE_OF: Record<string, (v: unknown) => boolean> = {
  number: isNumber,
  integer: (v) => isNumber(v) && !(v % 1),
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
  object: isObject,
  array: Array.isArray,
};
const GROUP_KEYWORDS: Record<string, readonly (keyof CheckSchema)[]> = {
  number: ['maximum', 'minimum'],
  string: ['maxLength', 'minLength', 'pattern'],
  array: ['maxItems', 'minItems', 'items'],
  object: ['required', 'additionalProperties', 'properties'],
};
/** `make` of a key, made on first use and kept in `made`. */
const kept =
  <K, V>(made: { get(key: K): V | undefined; set(key: K, value: V): unknown }, make: (key: K) => V) =>
  (key: K): V => {
    let value = made.get(key);
    if (!value) made.set(key, (value = make(key)));
    return value;
  };

/**
 * A schema's types and the keyword groups it uses (in ajv's order: GROUP_KEYWORDS's), worked out on its first check
 * and kept: the schemas are constant data, and probing each for a dozen absent keywords on every check cost more
 * than the checks.
 */
const planOf = kept(new WeakMap<CheckSchema, [types: string[], groups: string[]]>(), (s) => [
  s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type],
  Object.keys(GROUP_KEYWORDS).filter((group) => GROUP_KEYWORDS[group].some((k) => s[k] !== undefined)),
]);

/** Length in code points, as JSON Schema counts it (a surrogate pair is one character). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b))
    return a !== a && b !== b;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.prototype.hasOwnProperty.call(b, k) &&
        equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

// A key seldom holds either character: one test spares it two global replaces (~0.8k instructions a key, callgrind).
const pointer = (key: string) => '/' + (/[~/]/.test(key) ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key);

const regExp = kept(new Map<string, RegExp>(), (source) => new RegExp(source, 'u'));

/** Appends to `out` every issue of `data` against `schema` at `path`. */
function check(schema: CheckSchema, data: unknown, path: string, defs: Defs, out: Issue[]): void {
  const issue = (keyword: string, params: Record<string, unknown>) => out.push({ instancePath: path, keyword, params });
  const [types, groups] = planOf(schema);
  const typeIssue = () => issue('type', { type: schema.type });
  // One type whose keyword group is present: ajv reports a wrong type in that group's place, else up front.
  const groupType = types.length === 1 && groups.includes(types[0]) ? types[0] : undefined;
  if (types.length && !groupType && !types.some((t) => TYPE_OF[t](data))) typeIssue();

  if (schema.$ref !== undefined) check(defs[schema.$ref], data, path, defs, out);
  if (schema.const !== undefined && !equal(data, schema.const)) issue('const', { allowedValue: schema.const });
  if (schema.enum && !schema.enum.some((v) => equal(data, v))) issue('enum', { allowedValues: schema.enum });
  if (schema.anyOf) {
    const before = out.length;
    let valid = false;
    for (const branch of schema.anyOf) {
      const mark = out.length;
      check(branch, data, path, defs, out);
      if (out.length === mark) valid = true;
    }
    if (valid) out.length = before;
    else issue('anyOf', {});
  }

  for (const group of groups) {
    if (!TYPE_OF[group](data)) {
      if (groupType === group) typeIssue();
      continue;
    }
    if (group === 'number') {
      const n = data as number;
      if (schema.maximum !== undefined && n > schema.maximum)
        issue('maximum', { comparison: '<=', limit: schema.maximum });
      if (schema.minimum !== undefined && n < schema.minimum)
        issue('minimum', { comparison: '>=', limit: schema.minimum });
    } else if (group === 'string') {
      const s = data as string;
      if (schema.maxLength !== undefined && codePoints(s) > schema.maxLength)
        issue('maxLength', { limit: schema.maxLength });
      if (schema.minLength !== undefined && codePoints(s) < schema.minLength)
        issue('minLength', { limit: schema.minLength });
      if (schema.pattern !== undefined && !regExp(schema.pattern).test(s))
        issue('pattern', { pattern: schema.pattern });
    } else if (group === 'array') {
      const a = data as unknown[];
      if (schema.maxItems !== undefined && a.length > schema.maxItems) issue('maxItems', { limit: schema.maxItems });
      if (schema.minItems !== undefined && a.length < schema.minItems) issue('minItems', { limit: schema.minItems });
      if (schema.items) for (let i = 0; i < a.length; i++) check(schema.items, a[i], `${path}/${i}`, defs, out);
    } else {
      const o = data as Record<string, unknown>;
      const props = schema.properties ?? {};
      for (const name of schema.required ?? []) if (o[name] === undefined) issue('required', { missingProperty: name });
      const extra = schema.additionalProperties;
      if (extra !== undefined && extra !== true) {
        // for…in, like the compiled code: inherited enumerable keys count too.
        for (const key in o) {
          if (Object.prototype.hasOwnProperty.call(props, key)) continue;
          if (extra === false) issue('additionalProperties', { additionalProperty: key });
          else check(extra, o[key], path + pointer(key), defs, out);
        }
      }
      for (const name of Object.keys(props))
        if (o[name] !== undefined) check(props[name], o[name], path + pointer(name), defs, out);
    }
  }
}

/** A validator with the compiled validators' interface: returns whether `data` is valid, issues in `.errors`. */
export function schemaValidator(schema: CheckSchema, defs: Defs): CompiledValidator {
  const validate: CompiledValidator = (data: unknown) => {
    const out: Issue[] = [];
    check(schema, data, '', defs, out);
    validate.errors = out.length ? out : null;
    return !out.length;
  };
  return validate;
}

/**
 * The property names a schema declares, through `$ref`s: the fields of a request body, for "did you mean" on an
 * unknown one and to refuse known ones in `extraBody`. Taken from the request checks rather than shipped again in
 * the operations table, which every bundle carries.
 */
export function propertyNames(schema: CheckSchema | undefined, defs: Defs): string[] {
  while (schema?.$ref !== undefined) schema = defs[schema.$ref];
  return Object.keys(schema?.properties ?? {});
}
