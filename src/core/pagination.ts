import type { PaginationSpec } from '../../generated/operations.gen.js';
import { APIPromise } from './api-promise.js';
import { OpenAIAdminError } from './errors.js';
import { CallResult, type RawResult } from './request.js';

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
    return String(cursor);
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
    return { done: false, value: items[index++]! };
  };
  return {
    next: () => (index < items.length ? Promise.resolve({ done: false, value: items[index++]! }) : advance()),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const pageData = <Item>(page: Page<Item, unknown>): Item[] => page.data;

/** One page of a list: its items, the raw body, and the way to the next page. */
export class Page<Item, Body = unknown> implements AsyncIterable<Item> {
  readonly data: Item[];
  readonly #raw: RawResult<Body>;
  // No reference to the next page is kept: a long walk must not hold every page it has passed.
  #advanced = false;

  /** `seen` holds every cursor used so far in this walk; it is shared along the walk, not copied per page. */
  constructor(
    raw: RawResult<Body>,
    private readonly spec: PaginationSpec,
    private readonly fetchPage: FetchPage<Body>,
    private readonly seen: Set<string>,
  ) {
    this.#raw = raw;
    this.data = ((raw.data as Record<string, unknown>)[spec.itemsField] as Item[] | undefined) ?? [];
  }

  /** The page's whole response body (`data` plus cursors and anything else the API sent). */
  get body(): Body {
    return this.#raw.data;
  }

  /** The raw Response of this page (built on first access by the Node transport). */
  get response(): Response {
    return this.#raw.response;
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
      throw new PaginationError(`The server returned cursor "${cursor}" a second time; stopping instead of looping.`);
    }
    this.#advanced = true;
    this.seen.add(cursor);
    return new Page(await this.fetchPage(cursor), this.spec, this.fetchPage, this.seen);
  }

  async *iterPages(): AsyncGenerator<Page<Item, Body>> {
    let page: Page<Item, Body> = this;
    yield page;
    while (page.hasNextPage()) {
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
      fetchPage(null).then((raw) => new CallResult(new Page<Item, Body>(raw, spec, fetchPage, new Set()), raw.requestID, () => raw.response)),
    );
  }

  async *pages(): AsyncGenerator<Page<Item, Body>> {
    yield* (await this).iterPages();
  }

  [Symbol.asyncIterator](): AsyncIterator<Item> {
    return itemIterator(this, pageData);
  }

  /**
   * Every item, at most `max` (default 10 000). More than `max` items is an error rather than a silently
   * shortened list: raise `max` or iterate instead.
   */
  async toArray({ max = 10_000 }: { max?: number } = {}): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of this.pages()) {
      if (items.length + page.data.length > max) {
        throw new PaginationError(`The list has more than ${max} items; pass a larger max or iterate with for await.`);
      }
      items.push(...page.data);
    }
    return items;
  }
}
