import type { UsageTimeBucket } from '../../generated/client/types.gen.js';
import { PagePromise, PaginationError, itemIterator, type Page } from './pagination.js';

/** A time bucket whose results are all of one endpoint's kind (the spec's bucket has the union of all). */
export type UsageBucket<Result> = Omit<UsageTimeBucket, 'results'> & { results: Result[] };

/** One flat row per result: the bucket's time range plus the result's group fields and metrics. */
export type UsageRow<Result> = { start_time: number; end_time: number } & Omit<Result, 'object'>;

/** Pure: the rows of one bucket. */
export function bucketRows<Result extends { object: string }>(bucket: {
  start_time: number;
  end_time: number;
  results: ReadonlyArray<Result>;
}): UsageRow<Result>[] {
  return bucket.results.map(({ object: _object, ...rest }) => ({
    start_time: bucket.start_time,
    end_time: bucket.end_time,
    ...(rest as Omit<Result, 'object'>),
  }));
}

/** Every row of a page, flattened out of its buckets in order: handed out without a promise per bucket. */
function pageRows<Result extends { object: string }>(page: Page<UsageBucket<Result>, unknown>): UsageRow<Result>[] {
  // Checked whatever the validate mode: a bucket without a results array would throw a bare TypeError.
  for (const bucket of page.data) {
    if (!bucket || typeof bucket !== 'object' || !Array.isArray(bucket.results)) {
      throw new PaginationError('Malformed usage page: a bucket has no "results" array; stopping the walk here.');
    }
  }
  return page.data.flatMap(bucketRows);
}

/**
 * A usage or costs query. `for await` walks every bucket across `next_page`; `.rows()` flattens buckets into
 * rows such as `{ start_time, end_time, project_id, model, input_tokens, … }` for export.
 */
export class UsagePagePromise<Result extends { object: string }, Body = unknown> extends PagePromise<UsageBucket<Result>, Body> {
  /**
   * Every row of every bucket, in order, across pages, with the bucket's `start_time` and `end_time` on each.
   *
   * @example
   * for await (const row of admin.usage.completions({ start_time, bucket_width: '1h', group_by: ['model'] }).rows()) {
   *   console.log(row.start_time, row.model, row.input_tokens);
   * }
   */
  rows(): AsyncIterableIterator<UsageRow<Result>> {
    return itemIterator(this, pageRows<Result>);
  }
}
