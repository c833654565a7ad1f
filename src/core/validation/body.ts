/**
 * What is sent is what was validated: a request body is serialised once, first, and the validator then sees
 * `JSON.parse` of that text, so a `toJSON`, a Date, a dropped `undefined` or a class instance cannot make the
 * checked value differ from the bytes on the wire. Values JSON cannot carry faithfully are refused by path
 * instead of being turned silently into `null` or dropped: NaN and ±Infinity, BigInt, functions, symbols,
 * `undefined` inside an array, circular references. (`undefined` as an object property means "not given" and
 * is left out, as JSON.stringify does.)
 *
 * The escape hatch for fields newer than the spec (`extraBody`, `extraQuery`) is checked here too: they may
 * only carry names the spec does not know (known ones go through validation), and are merged after it.
 *
 * Loaded on the first call with a body or extras (a dynamic import from request.ts): a bundle whose calls are all
 * reads does not carry it up front.
 */
import type { OperationSpec } from '../../../generated/operations.gen.js';
import type { FieldIssue } from '../base/errors.js';
import { bodyFields } from './issues.js';
import type { RequestOptions } from '../types/call.js';

export interface Serialized {
  /** The JSON text, when serialisable without loss. */
  text?: string;
  issues: FieldIssue[];
}

const describeNumber = (value: number) => (Number.isNaN(value) ? 'NaN' : String(value));

let lossy = false;

/** The cheap first pass: only notes that something would be lost (no paths, no allocation). */
function noteLoss(this: unknown, _key: string, item: unknown): unknown {
  switch (typeof item) {
    case 'string':
    case 'object':
    case 'boolean':
      return item;
    case 'number':
      if (!Number.isFinite(item)) lossy = true;
      return item;
    case 'undefined':
      if (Array.isArray(this)) lossy = true;
      return item;
    default:
      lossy = true;
      return null;
  }
}

/**
 * JSON text of `value`, or the issues that make it unserialisable, each with its path under `root`
 * (`body.projects[1].id`). One JSON.stringify with a replacer that only raises a flag; the path-tracking
 * pass runs only when something is wrong. Pure.
 */
export function serializeJSON(value: unknown, root: string): Serialized {
  // Saved and restored: a toJSON may itself serialise something (re-entrancy) while the outer pass runs.
  const outer = lossy;
  lossy = value === undefined || typeof value === 'function' || typeof value === 'symbol';
  let text: string | undefined;
  try {
    text = JSON.stringify(value, noteLoss);
  } catch {
    lossy = true;
  }
  const lost = lossy || text === undefined;
  lossy = outer;
  return lost ? { issues: serializationIssues(value, root) } : { text, issues: [] };
}

/** Every value JSON would lose or cannot carry, by path (the slow pass, on the error path only). */
function serializationIssues(value: unknown, root: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const paths = new WeakMap<object, string>();
  function replacer(this: unknown, key: string, item: unknown): unknown {
    // JSON.stringify's own root holder is the only holder this function has not seen.
    const holderPath = paths.get(this as object);
    const isRoot = holderPath === undefined;
    const path = isRoot ? root : Array.isArray(this) ? `${holderPath}[${key}]` : `${holderPath}.${key}`;
    switch (typeof item) {
      case 'number':
        if (!Number.isFinite(item))
          issues.push({ path, message: `must be a finite number (got ${describeNumber(item)}; JSON would send null)` });
        return item;
      case 'bigint':
        issues.push({ path, message: 'is a BigInt, which JSON cannot carry: pass a number or a string' });
        return null;
      case 'function':
      case 'symbol':
        issues.push({ path, message: `is a ${typeof item}, not a JSON value` });
        return null;
      case 'undefined':
        if (Array.isArray(this) || isRoot)
          issues.push({ path, message: 'is undefined (JSON would send null or nothing)' });
        return item;
      case 'object':
        if (item !== null) paths.set(item, path);
        return item;
      default:
        return item;
    }
  }
  try {
    JSON.stringify(value, replacer);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const circular = /circular/i.test(message);
    issues.push({
      path: root,
      message: circular
        ? 'contains a circular reference: JSON cannot carry it'
        : `cannot be serialised as JSON (${message})`,
    });
  }
  return issues.length ? issues : [{ path: root, message: 'is not a JSON value' }];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Issues of `extraBody`: an object, for an operation with a body, naming only fields the spec does not know. */
function extraBodyIssues(op: Pick<OperationSpec, 'body' | 'name'>, extra: Record<string, unknown>): FieldIssue[] {
  if (op.body === null)
    return [{ path: 'options.extraBody', message: 'is for operations with a JSON body; this one has none' }];
  const known = bodyFields(op);
  return Object.keys(extra)
    .filter((name) => known.includes(name))
    .map((name) => ({
      path: `options.extraBody.${name}`,
      message: `is a field of the spec: pass it in the body, where it is checked`,
    }));
}

const isQueryScalar = (value: unknown) =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/** Issues of `extraQuery`: names the spec does not know, with text, number, boolean or array-of-those values. */
function extraQueryIssues(op: Pick<OperationSpec, 'query'>, extra: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(extra)) {
    const path = `options.extraQuery.${name}`;
    if (op.query.some((q) => q.name === name))
      issues.push({ path, message: 'is a parameter of the spec: pass it in the query, where it is checked' });
    else if (value !== undefined && !(isQueryScalar(value) || (Array.isArray(value) && value.every(isQueryScalar)))) {
      issues.push({ path, message: 'must be a string, a finite number, a boolean, or an array of those' });
    }
  }
  return issues;
}

/** The query string with `extra` appended after the spec's parameters (arrays repeat the name). */
function appendExtraQuery(queryString: string, extra: Record<string, unknown>): string {
  const parts = queryString ? [queryString] : [];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value])
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`);
  }
  return parts.join('&');
}

/** The wire body with the extra fields merged in after validation (both already serialisable). */
function mergeExtraBody(validated: unknown, extra: Record<string, unknown>): unknown {
  return isPlainObject(validated) ? { ...validated, ...extra } : { ...extra };
}

/**
 * The body and query string with the per-call `extraBody` / `extraQuery` merged in, after validation: the
 * escape hatch for fields and parameters newer than the spec. They may only name what the spec does not
 * know; known names go through the validator like any other. Any issue means the call must not be sent.
 */
export function withExtras(
  op: OperationSpec,
  validatedBody: unknown,
  bodyText: string | undefined,
  queryString: string,
  options: RequestOptions,
) {
  const { extraBody, extraQuery } = options;
  const issues = [
    ...(extraBody ? extraBodyIssues(op, extraBody) : []),
    ...(extraQuery ? extraQueryIssues(op, extraQuery) : []),
  ];
  if (extraBody && !issues.length) {
    const merged = serializeJSON(mergeExtraBody(validatedBody, extraBody), 'options.extraBody');
    issues.push(...merged.issues);
    bodyText = merged.text;
  }
  return { issues, bodyText, queryString: extraQuery ? appendExtraQuery(queryString, extraQuery) : queryString };
}
