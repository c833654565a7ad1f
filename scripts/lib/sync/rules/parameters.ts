/**
 * The standing curations of parameters, one function each: pure, a parameter in, the curated parameter out (the same
 * object when the rule does not apply).
 */
import { NOTES, withNote } from './notes';

type Param = Record<string, any>;

/** The path-id pattern every curated path id carries. */
export const PATH_ID_PATTERN = '^(?!\\.\\.?$)[^/?#]+$';
const CURSOR_NAMES = new Set(['after', 'before']);

/** Cursors (`after`, `before`): OpenAPI 3.0 `nullable` is dropped — a cursor is a string or absent. */
export function cursorNotNullable(param: Param): Param {
  if (param.in !== 'query' || !CURSOR_NAMES.has(param.name) || param.schema?.nullable !== true) return param;
  const { nullable: _dropped, ...schema } = param.schema;
  return withNote({ ...param, schema }, NOTES.cursor);
}

/** Path ids: non-empty, not "." or "..", no "/", "?" or "#" (they would address another resource). */
export function pathIdPattern(param: Param): Param {
  if (param.in !== 'path' || param.schema?.type !== 'string' || param.schema.pattern) return param;
  return withNote({ ...param, schema: { ...param.schema, minLength: 1, pattern: PATH_ID_PATTERN } }, NOTES.pathId);
}

/**
 * "Limit can range between 1 and 100" → minimum/maximum from the description; otherwise minimum 1 (a list of no items
 * is never meant) and upstream's maximum kept, if it sets one.
 */
export function limitBounds(param: Param): Param {
  if (param.in !== 'query' || param.name !== 'limit' || param.schema?.type !== 'integer') return param;
  const description = `${param.description ?? ''} ${param.schema.description ?? ''}`;
  // Per-bucket_width maxima (usage, costs) are x-pagination.limitByBucketWidth: a person writes those.
  if (/bucket_width/.test(description)) return param;
  const range = /range between (\d+) and (\d+)/i.exec(description);
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])];
    return withNote({ ...param, schema: { ...param.schema, minimum: min, maximum: max } }, NOTES.bounds(min, max));
  }
  const max = param.schema.maximum;
  const note = typeof max === 'number' ? NOTES.minimumKeepMaximum(max) : NOTES.minimumOnly;
  return withNote({ ...param, schema: { ...param.schema, minimum: 1 } }, note);
}

/** `start_time` / `end_time` query timestamps are Unix seconds: minimum 0. */
export function nonNegativeTimestamps(param: Param): Param {
  if (param.in !== 'query' || !['start_time', 'end_time'].includes(param.name) || param.schema?.type !== 'integer')
    return param;
  if (param.schema.minimum !== undefined) return param;
  return withNote({ ...param, schema: { ...param.schema, minimum: 0 } }, NOTES.timestamp);
}

/** Every parameter rule, in the order they apply. */
export const PARAMETER_RULES = [cursorNotNullable, pathIdPattern, limitBounds, nonNegativeTimestamps];

export const applyParameterRules = (param: Param): Param => PARAMETER_RULES.reduce((p, rule) => rule(p), param);
