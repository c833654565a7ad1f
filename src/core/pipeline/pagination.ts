import type { PaginationSpec } from '../../../generated/operations.gen.js';
import { APIPromise } from './api-promise.js';
import { OpenAIAdminError } from '../base/errors.js';
import {
  wireParts,
  type ItemOf,
  type OperationName,
  type OperationOf,
  type PaginatedOperationName,
  type PaginatedOperationOf,
  type PartsOf,
  type ResponseOf,
} from '../types/operation.js';
import type { RawResult, RequestOptions, RequestParts } from '../types/call.js';
import { CallResult } from './api-promise.js';

/**
 * The cursor for the next page, or null on the last page. Pure. The API's three styles:
 * `cursor` (after → last_id, has_more), `next` (after → next), `page` (page → next_page).
 * A page that says there is more but gives no cursor is an error, never a silent end.
 */
export function nextCursor(spec: PaginationSpec, body: Record<string, unknown>): string | null {
  const cursor = body[spec.cursorField];
  const hasMore = body.has_more;
  if (spec.style === 'next') {
    if (hasMore === false || cursor === null || cursor === undefined || cursor === '') {
      if (hasMore === true) throw new PaginationError(`has_more is true but "${spec.cursorField}" is empty`);
      return null;
    }
    if (typeof cursor !== 'string') throw new PaginationError(`"${spec.cursorField}" is ${kind(cursor)}, not a string`);
    return cursor;
  }
  if (hasMore !== true) return null;
  if (typeof cursor === 'string' && cursor !== '') return cursor;
  // A cursor page with has_more but no last_id: the last item's id is the same cursor.
  if (spec.style === 'cursor') {
    const items = body[spec.itemsField] as Array<{ id?: unknown }> | undefined;
    const lastId = items?.[items.length - 1]?.id;
    if (typeof lastId === 'string' && lastId) return lastId;
  }
  throw new PaginationError(`has_more is true but "${spec.cursorField}" is missing`);
}

export class PaginationError extends OpenAIAdminError {
  override name = 'PaginationError';
}

/**
 * Pages in a row that have no items yet say there are more: past this many the walk stops with a
 * PaginationError. A server that hands out a fresh cursor with every empty page would otherwise be walked
 * forever (the repeated-cursor check cannot see it).
 */
export const MAX_EMPTY_PAGES = 10;

/**
 * What a value is, for a message. A page walk's errors are not scrubbed (a page does not hold the key), so a string
 * from the server is shown only when too short to be a key (`string "true"`), else by its length.
 */
const kind = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return value.length <= 12 ? `string ${JSON.stringify(value)}` : `a string of ${value.length} characters`;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects were answered above: a primitive is left
  return `${typeof value} ${String(value)}`;
};

/**
 * What makes a list page unusable, or null. Checked on every page whatever the `validate` mode: a page whose
 * items are not an array would hand out `undefined` forever, and `has_more: "true"` (a string) would end the
 * walk after one page, a silent truncation. Pure.
 */
export function pageProblem(spec: PaginationSpec, body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return `the page is ${kind(body)}, not an object`;
  const page = body as Record<string, unknown>;
  const items = page[spec.itemsField];
  if (!Array.isArray(items))
    return `"${spec.itemsField}" is ${items === undefined ? 'missing' : kind(items)}, not an array`;
  if (page.has_more !== undefined && typeof page.has_more !== 'boolean')
    return `"has_more" is ${kind(page.has_more)}, not true or false`;
  const cursor = page[spec.cursorField];
  if (cursor !== undefined && cursor !== null && typeof cursor !== 'string')
    return `"${spec.cursorField}" is ${kind(cursor)}, not a string`;
  return null;
}

/** A whole number ≥ min, else a PaginationError naming the option: NaN or Infinity would bound nothing. */
function checkBound(name: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new PaginationError(`${name} must be a whole number ≥ ${min} (got ${String(value)})`);
  }
  return value;
}

/** What sends one request of any operation, its parts in wire form: a client (`ClientCore._request`) for pages. */
export interface Requester {
  _request<Body>(
    op: OperationOf<OperationName>,
    parts: RequestParts,
    options?: RequestOptions,
  ): Promise<RawResult<Body>>;
}

export type FetchPage<Body> = (cursor: string | null) => Promise<RawResult<Body>>;

/**
 * Walks items across pages; `itemsOf` says what the items of a page are (its data, or the rows flattened
 * out of its usage buckets). Items of a page already in memory are handed out without awaiting anything
 * new, and the next page is requested as soon as the walk enters the current one, so the network and the
 * consumer overlap instead of taking turns. The cost: a walk abandoned midway may have fetched one page
 * more than it used (a read, never a write).
 */
export function itemIterator<Out, Item, Body>(
  first: PromiseLike<Page<Item, Body>>,
  itemsOf: (page: Page<Item, Body>) => readonly Out[],
): AsyncIterableIterator<Out> {
  let page: Page<Item, Body> | undefined;
  let items: readonly Out[] = [];
  let index = 0;
  let upcoming: Promise<Page<Item, Body>> | undefined;
  const enter = (next: Page<Item, Body>) => {
    page = next;
    items = itemsOf(next);
    index = 0;
    if (!next.hasNextPage()) return;
    upcoming = next.getNextPage();
    // Its failure surfaces when the walk reaches it; until then it must not count as unhandled.
    upcoming.catch(() => {});
  };
  const advance = async (): Promise<IteratorResult<Out>> => {
    if (!page) enter(await first);
    while (index >= items.length) {
      if (!upcoming) return { done: true, value: undefined };
      const next = upcoming;
      upcoming = undefined;
      enter(await next);
    }
    // node:http writes a request in a process.nextTick, which runs only once the microtask queue is empty; the items
    // below go out as microtasks, so without this the prefetched page's request would leave only after the walk
    // had consumed this page, and the server would idle while it did. One tick per page lets it leave first.
    // (nextTick(resolve, reject) calls resolve(reject): the value is not used.)
    if (upcoming && nextTick) await new Promise(nextTick);
    return { done: false, value: items[index++] };
  };
  return {
    next: () => (index < items.length ? Promise.resolve({ done: false, value: items[index++] }) : advance()),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Node's (and Bun's and Deno's) process.nextTick; absent in a browser, where the walk does not wait for it. */
// eslint-disable-next-line @typescript-eslint/unbound-method -- a plain function: Node's never reads its `this`
const nextTick = globalThis.process?.nextTick;

const pageData = <Item>(page: Page<Item, unknown>): Item[] => page.data;

/** One page of a list: its items, the raw body, and the way to the next page. */
export class Page<Item, Body = unknown> implements AsyncIterable<Item> {
  readonly data: Item[];
  readonly #raw: RawResult<Body>;
  // No reference to the next page is kept: a long walk must not hold every page it has passed.
  #advanced = false;
  /** Pages in a row, this one included, with no items (0 when this one has items). */
  readonly #emptyRun: number;

  /**
   * `seen` holds every cursor used so far in this walk; it is shared along the walk, not copied per page.
   * `emptyBefore` is the number of item-less pages right before this one. Throws PaginationError on a
   * malformed page (see pageProblem).
   */
  constructor(
    raw: RawResult<Body>,
    private readonly spec: PaginationSpec,
    private readonly fetchPage: FetchPage<Body>,
    private readonly seen: Set<string>,
    emptyBefore = 0,
  ) {
    const problem = pageProblem(spec, raw.data);
    if (problem) throw new PaginationError(`Malformed list page: ${problem}; stopping the walk here.`);
    this.#raw = raw;
    this.data = (raw.data as Record<string, unknown>)[spec.itemsField] as Item[];
    this.#emptyRun = this.data.length === 0 ? emptyBefore + 1 : 0;
  }

  /** The page's whole response body (`data` plus cursors and anything else the API sent). */
  get body(): Body {
    return this.#raw.data;
  }

  /** The raw Response of this page (built on first access by the Node transport). */
  get response(): Response {
    return this.#raw.response;
  }

  /** The `x-request-id` of this page's response: quote it to OpenAI support. */
  get requestID(): string | null {
    return this.#raw.requestID;
  }

  /** The cursor that fetches the next page, or null. */
  nextCursor(): string | null {
    return nextCursor(this.spec, this.body as Record<string, unknown>);
  }

  hasNextPage(): boolean {
    return this.nextCursor() !== null;
  }

  /** Fetches the next page; throws PaginationError on the last page or when the server repeats a cursor. */
  async getNextPage(): Promise<Page<Item, Body>> {
    const cursor = this.nextCursor();
    if (cursor === null) throw new PaginationError('No next page: check hasNextPage() first.');
    // Asking the same page twice is the caller's choice, not a loop; a cursor seen on an earlier page is.
    if (!this.#advanced && this.seen.has(cursor)) {
      // The cursor itself is not quoted: it comes from the server and is not scrubbed (see kind).
      throw new PaginationError(
        `The server returned the same cursor (${cursor.length} characters) a second time; stopping instead of looping.`,
      );
    }
    if (this.#emptyRun >= MAX_EMPTY_PAGES) {
      throw new PaginationError(
        `${this.#emptyRun} pages in a row had no items yet said there were more; stopping instead of looping.`,
      );
    }
    this.#advanced = true;
    this.seen.add(cursor);
    return new Page(await this.fetchPage(cursor), this.spec, this.fetchPage, this.seen, this.#emptyRun);
  }

  /**
   * This page and the ones after it. With `maxPages`, asking for a page beyond it is a PaginationError
   * (the walk is cut loudly, never silently).
   *
   * @example
   * for await (const page of (await admin.projects.list()).iterPages({ maxPages: 50 })) console.log(page.data.length);
   */
  async *iterPages({ maxPages = Infinity }: { maxPages?: number } = {}): AsyncGenerator<Page<Item, Body>> {
    if (maxPages !== Infinity) checkBound('maxPages', maxPages, 1);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts at this page and moves on
    let page: Page<Item, Body> = this;
    yield page;
    for (let count = 1; page.hasNextPage(); count++) {
      if (count >= maxPages)
        throw new PaginationError(
          `The list has more than ${maxPages} pages (maxPages); pass a larger maxPages or iterate with for await.`,
        );
      page = await page.getNextPage();
      yield page;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Item> {
    return itemIterator(Promise.resolve(this), pageData);
  }
}

/**
 * A list call: `await` it for the first page, `for await` over it for every item across pages,
 * `.pages()` for page by page, `.toArray({ max })` to collect with a bound.
 */
export class PagePromise<Item, Body = unknown> extends APIPromise<Page<Item, Body>> implements AsyncIterable<Item> {
  constructor(spec: PaginationSpec, fetchPage: FetchPage<Body>) {
    super(
      fetchPage(null).then(
        (raw) =>
          new CallResult(new Page<Item, Body>(raw, spec, fetchPage, new Set()), raw.requestID, () => raw.response),
      ),
    );
  }

  /**
   * The pages one by one; with `maxPages`, more pages than that is a PaginationError.
   *
   * @example
   * for await (const page of admin.projects.list({ limit: 100 }).pages({ maxPages: 20 })) console.log(page.data.length);
   */
  async *pages(options: { maxPages?: number } = {}): AsyncGenerator<Page<Item, Body>> {
    yield* (await this).iterPages(options);
  }

  [Symbol.asyncIterator](): AsyncIterator<Item> {
    return itemIterator(this, pageData);
  }

  /**
   * Every item, at most `max` (default 10 000), in at most `maxPages` requests (default `max + 1`: every page
   * but the last must bring an item, so a server sending item-less pages cannot make it request forever).
   * More than either is an error rather than a silently shortened list: raise the bound or iterate instead.
   *
   * @example
   * const users = await admin.users.list({ limit: 100 }).toArray({ max: 50_000 });
   */
  async toArray({ max = 10_000, maxPages }: { max?: number; maxPages?: number } = {}): Promise<Item[]> {
    try {
      checkBound('max', max, 0);
      checkBound('maxPages', maxPages ?? max + 1, 1);
    } catch (error) {
      // The first page was requested when the list was created: its outcome no longer matters to anyone.
      this.catch(() => {});
      throw error;
    }
    const items: Item[] = [];
    for await (const page of this.pages({ maxPages: maxPages ?? max + 1 })) {
      if (items.length + page.data.length > max) {
        throw new PaginationError(`The list has more than ${max} items; pass a larger max or iterate with for await.`);
      }
      items.push(...page.data);
    }
    return items;
  }
}

/**
 * @internal The pages of paginated operation `K` on a client: what every generated `list` method returns. A
 * function rather than a client method, so that a bundle that lists nothing carries no pagination.
 */
export function listPages<K extends PaginatedOperationName>(
  client: Requester,
  op: PaginatedOperationOf<K>,
  parts: PartsOf<K>,
  options?: RequestOptions,
): PagePromise<ItemOf<K>, ResponseOf<K>> {
  // Only operations with renamed parameters pay for the renaming (as request.ts's call).
  const wire = op.wireNames ? wireParts(op, parts) : (parts as RequestParts);
  return new PagePromise(op.pagination, pageFetcher<ResponseOf<K>>(client, op, wire, options));
}

/** @internal Fetches one page per cursor: the first without one, the next ones with the cursor parameter set. */
export function pageFetcher<Body>(
  client: Requester,
  op: PaginatedOperationOf<PaginatedOperationName>,
  parts: RequestParts,
  options?: RequestOptions,
): FetchPage<Body> {
  const param = op.pagination.requestParam;
  return (cursor) =>
    client._request<Body>(
      op,
      cursor === null ? parts : { ...parts, query: { ...parts.query, [param]: cursor } },
      options,
    );
}
