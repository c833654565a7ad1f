import { badRequest } from './errors.js';

/** Options common to the `after` cursor styles. */
export interface CursorQuery {
  limit?: unknown;
  after?: unknown;
  before?: unknown;
  order?: unknown;
}

function window<T>(items: readonly T[], keyOf: (item: T) => string, q: CursorQuery, defaultLimit: number) {
  const limit = typeof q.limit === 'number' ? q.limit : defaultLimit;
  const ordered = q.order === 'desc' ? [...items].reverse() : items;
  if (typeof q.after === 'string' && q.after !== '') {
    const i = ordered.findIndex((it) => keyOf(it) === q.after);
    if (i < 0) throw badRequest(`Invalid 'after': no object with id '${q.after}' in this list.`, 'after');
    const page = ordered.slice(i + 1, i + 1 + limit);
    return { page, hasMore: i + 1 + limit < ordered.length };
  }
  if (typeof q.before === 'string' && q.before !== '') {
    const i = ordered.findIndex((it) => keyOf(it) === q.before);
    if (i < 0) throw badRequest(`Invalid 'before': no object with id '${q.before}' in this list.`, 'before');
    const start = Math.max(0, i - limit);
    return { page: ordered.slice(start, i), hasMore: start > 0 };
  }
  return { page: ordered.slice(0, limit), hasMore: limit < ordered.length };
}

/**
 * The `after` → `last_id` style of most lists. The real API sends null ids on an empty page, which
 * the spec types as non-null strings; the emulator follows the API.
 */
export function cursorList<T, R>(
  items: readonly T[],
  q: CursorQuery,
  view: (item: T) => R,
  keyOf: (item: T) => string = (it) => (it as { id: string }).id,
  defaultLimit = 20,
) {
  const { page, hasMore } = window(items, keyOf, q, defaultLimit);
  return {
    object: 'list' as const,
    data: page.map(view),
    first_id: page.length ? keyOf(page[0]) : null,
    last_id: page.length ? keyOf(page[page.length - 1]) : null,
    has_more: hasMore,
  };
}

/** The `after` → `next` style of groups and roles: `next` is the cursor to send, null on the last page. */
export function nextList<T, R>(
  items: readonly T[],
  q: CursorQuery,
  view: (item: T) => R,
  keyOf: (item: T) => string = (it) => (it as { id: string }).id,
  defaultLimit = 100,
) {
  const { page, hasMore } = window(items, keyOf, q, defaultLimit);
  return {
    object: 'list' as const,
    data: page.map(view),
    has_more: hasMore,
    next: hasMore && page.length ? keyOf(page[page.length - 1]) : null,
  };
}

// The prefix length is chosen so tokens need base64 padding: real tokens end in '=' too.
const PAGE_PREFIX = 'pg:v1:';

/**
 * Usage and costs page tokens are opaque base64, like the real ones (which often end in `=`, a
 * classic source of double-encoding bugs in clients). The token carries the first bucket's start.
 */
export function encodePageToken(bucketStart: number): string {
  return Buffer.from(`${PAGE_PREFIX}${bucketStart}`, 'utf8').toString('base64');
}

export function decodePageToken(token: string): number {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const n = text.startsWith(PAGE_PREFIX) ? Number(text.slice(PAGE_PREFIX.length)) : NaN;
  if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid 'page': '${token}' is not a valid page token.`, 'page');
  return n;
}
