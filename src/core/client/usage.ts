import type { UsageTimeBucket } from '../../../generated/client/types.gen.js';
import type { ClientCore } from './client-core.js';
import {
  operationId,
  wireParts,
  type PaginatedOperationName,
  type PaginationSpec,
  type PaginatedOperationOf,
  type PartsOf,
  type ResponseOf,
} from '../types/operation.js';
import {
  PagePromise,
  PaginationError,
  itemIterator,
  pageFetcher,
  type FetchPage,
  type Page,
} from '../pipeline/pagination.js';
import type { RequestOptions } from '../types/call.js';

/** A time bucket whose results are all of one endpoint's kind (the spec's bucket has the union of all). */
export type UsageBucket<Result> = Omit<UsageTimeBucket, 'results'> & { results: Result[] };

/**
 * A cost as rows carry it. The API sends `amount.value` as a JSON number in most responses and as a decimal string
 * ("0.0123456789012345678") in some; a row always has both forms, so nothing is lost and nothing needs parsing:
 * - `value`: a number, for sums and charts (a string longer than a double holds is rounded here, and only here);
 * - `value_decimal`: the exact decimal text, for ledgers. When the API sent a number it is that number's shortest
 *   decimal form (`String(value)`), i.e. exactly what the JSON parser kept.
 *
 * @example
 * for await (const row of admin.costs({ start_time }).rows()) {
 *   total += row.amount?.value ?? 0;            // a number, even when the API sent "0.0123456789012345678"
 *   ledger.push(row.amount?.value_decimal);     // the exact text, for decimal arithmetic
 * }
 */
export interface CostAmount {
  value?: number;
  value_decimal?: string;
  currency?: string;
}

/** Results that carry a cost `amount` get {@link CostAmount} in rows; other results are unchanged. */
type WithRowAmount<Result> = Result extends { amount?: unknown }
  ? Omit<Result, 'amount'> & { amount?: CostAmount }
  : Result;

/**
 * One flat row per result: the bucket's time range plus the result's group fields and metrics. Counters are numbers
 * even when the server sent numeric strings; one that was no number at all is absent (and was warned about).
 */
export type UsageRow<Result> = { start_time: number; end_time: number } & Omit<WithRowAmount<Result>, 'object'>;

/** Pure: a cost amount with `value` as a number and `value_decimal` as its exact text. Other shapes pass through. */
export function costAmount(amount: unknown): unknown {
  if (!amount || typeof amount !== 'object') return amount;
  const { value } = amount as { value?: unknown };
  if (typeof value === 'number') return { ...amount, value, value_decimal: String(value) };
  if (typeof value === 'string')
    return { ...amount, value: value.trim() === '' ? Number.NaN : Number(value), value_decimal: value };
  return amount;
}

/**
 * The counters of usage results, by name: every number field of every usage result in the spec, and nothing else
 * (test/spec/usage-counters.test.ts holds this against openapi.yaml). A pattern rather than a list: it costs the
 * bundle a few bytes.
 */
export const USAGE_COUNTER = /_tokens$|^num_|^(characters|seconds|images|usage_bytes)$/;

/**
 * Pure: the rows of one bucket. A usage counter sent as a numeric string ("5", as `Number()` reads it) becomes that
 * number, so that sums add rather than concatenate ("0" + "5" + "5" was "055"); a counter that is no finite number
 * (other text, null, an object) is left out of its row and named to `refused`. So a row's counter, when present,
 * is always a finite number.
 */
export function bucketRows<Result extends { object: string }>(
  bucket: {
    start_time: number;
    end_time: number;
    results: ReadonlyArray<Result>;
  },
  refused?: (field: string) => void,
): UsageRow<Result>[] {
  // Decided once per bucket (a bucket holds one kind), so usage rows pay nothing for the costs case.
  if (bucket.results[0]?.object === COSTS_RESULT)
    return bucket.results.map((r) => costRow(bucket, r) as UsageRow<Result>);
  return bucket.results.map(({ object: _object, ...rest }) => {
    const row: Record<string, unknown> = { start_time: bucket.start_time, end_time: bucket.end_time, ...rest };
    for (const field in rest) {
      const value = row[field];
      // Counters are numbers in every well-formed row: the name is tested only when a value is not one.
      if (typeof value !== 'number' && USAGE_COUNTER.test(field)) {
        if (typeof value === 'string' && value.trim() && isFinite(+value)) row[field] = +value;
        else (delete row[field], refused?.(field));
      }
    }
    return row as UsageRow<Result>;
  });
}

const COSTS_RESULT = 'organization.costs.result';

function costRow(bucket: { start_time: number; end_time: number }, result: { object: string }) {
  const { object: _object, ...rest } = result as { object: string; amount?: unknown };
  return {
    start_time: bucket.start_time,
    end_time: bucket.end_time,
    ...rest,
    ...(rest.amount !== undefined ? { amount: costAmount(rest.amount) } : {}),
  };
}

/** Every row of a page, flattened out of its buckets in order: handed out without a promise per bucket. */
function pageRows<Result extends { object: string }>(
  page: Page<UsageBucket<Result>, unknown>,
  refused?: (field: string) => void,
): UsageRow<Result>[] {
  // Checked whatever the validate mode: a bucket without a results array would throw a bare TypeError.
  for (const bucket of page.data) {
    if (!bucket || typeof bucket !== 'object' || !Array.isArray(bucket.results)) {
      throw new PaginationError('Malformed usage page: a bucket has no "results" array; stopping the walk here.');
    }
  }
  return page.data.flatMap((bucket) => bucketRows(bucket, refused));
}

/**
 * A usage or costs query. `for await` walks every bucket across `next_page`; `.rows()` flattens buckets into
 * rows such as `{ start_time, end_time, project_id, model, input_tokens, … }` for export.
 */
export class UsagePagePromise<Result extends { object: string }, Body = unknown> extends PagePromise<
  UsageBucket<Result>,
  Body
> {
  /** @internal `refused` hears of each counter `.rows()` leaves out (usagePages: a warning through the logger). */
  readonly #refused: ((field: string) => void) | undefined;

  constructor(spec: PaginationSpec, fetchPage: FetchPage<Body>, refused?: (field: string) => void) {
    super(spec, fetchPage);
    this.#refused = refused;
  }

  /**
   * Every row of every bucket, in order, across pages, with the bucket's `start_time` and `end_time` on each.
   * Counters are numbers: a numeric string from the server becomes its number, and a counter that is no number at
   * all is left out of its row with a warning naming the field (once per field and walk, through the logger).
   *
   * @example
   * for await (const row of admin.usage.completions({ start_time, bucket_width: '1h', group_by: ['model'] }).rows()) {
   *   console.log(row.start_time, row.model, row.input_tokens);
   * }
   */
  rows(): AsyncIterableIterator<UsageRow<Result>> {
    return itemIterator(this, (page) => pageRows(page, this.#refused));
  }
}

/** The results a bucket of operation `K` may hold (never for operations without buckets). */
type BucketResultOf<K extends PaginatedOperationName> =
  ResponseOf<K> extends { data: ReadonlyArray<{ results: ReadonlyArray<infer R> }> }
    ? Extract<R, { object: string }>
    : never;

/**
 * @internal The bucket pages of a usage or costs operation `K`; `Result` narrows the operation's own union of
 * bucket results to the one variant this operation returns (the spec types every bucket with the full union).
 */
export function usagePages<K extends PaginatedOperationName, Result extends BucketResultOf<K>>(
  client: ClientCore,
  op: PaginatedOperationOf<K>,
  query: NonNullable<PartsOf<K>['query']>,
  options?: RequestOptions,
): UsagePagePromise<Result, ResponseOf<K>> {
  const q = query as Record<string, unknown>;
  // The fewest requests: ask for as many buckets per page as the bucket width allows.
  const limit = q.limit ?? op.pagination.limitByBucketWidth?.[(q.bucket_width as string | undefined) ?? '1d'];
  const parts = wireParts(op, { query: { ...q, limit } });
  // Once per field and query: a server that sends text in every row must not flood the log.
  const warned = new Set<string>();
  return new UsagePagePromise(
    op.pagination,
    pageFetcher<ResponseOf<K>>(client, op, parts, options),
    (field) =>
      warned.has(field) ||
      (warned.add(field), client._warn(`openai-admin: ${operationId(op)}: a row's ${field} is not a number; left out`)),
  );
}
