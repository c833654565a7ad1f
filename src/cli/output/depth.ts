/**
 * A bound on how deeply printed values nest. A server can send an item nested 100 000 levels deep (a few hundred
 * KB of `{"a":{"a":…`): JSON.parse takes it, but every recursive printer (JSON.stringify, flatten) overflows the
 * stack with a bare RangeError. API objects nest fewer than 10 levels, so printing cuts at MAX_OUTPUT_DEPTH and
 * shows the marker in place of what lies deeper; the printer says so on stderr. Pure; recursion stops at the bound.
 */
export const MAX_OUTPUT_DEPTH = 100;
export const DEPTH_MARKER = `[nested deeper than ${MAX_OUTPUT_DEPTH} levels: not shown]`;

const isContainer = (v: unknown): v is object => v !== null && typeof v === 'object';

/** True when an object or array sits below `depth` more levels of nesting (the value itself is level 0). */
function deeperThan(value: unknown, depth: number): boolean {
  if (!isContainer(value)) return false;
  if (depth === 0) return true;
  for (const v of Object.values(value)) if (deeperThan(v, depth - 1)) return true;
  return false;
}

function cut(value: unknown, depth: number): unknown {
  if (!isContainer(value)) return value;
  if (depth === 0) return DEPTH_MARKER;
  if (Array.isArray(value)) return value.map((v) => cut(v, depth - 1));
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = cut(v, depth - 1);
  return out;
}

/**
 * The value as it may be printed: itself (no copy) when it nests at most `maxDepth` levels, else a copy with each
 * object or array below that depth replaced by DEPTH_MARKER; `cut` says which.
 */
export function boundDepth(value: unknown, maxDepth = MAX_OUTPUT_DEPTH): { value: unknown; cut: boolean } {
  return deeperThan(value, maxDepth) ? { value: cut(value, maxDepth), cut: true } : { value, cut: false };
}
