import * as ops from '../generated/operations.gen.js';
import type * as T from '../generated/client/types.gen.js';
import type { UsageCostsQuery, UsageCostsResponse } from '../generated/operation-types.gen.js';
import { ResourceTree } from '../generated/resources.gen.js';
import type { ClientOptions } from './core/config/config.js';
import type { RequestOptions } from './core/types/call.js';
import { usagePages, type UsagePagePromise } from './core/client/usage.js';
import { Usage } from './resources/usage.js';

/**
 * The OpenAI Administration API client. Every operation is reachable by a friendly name
 * (see {@link FRIENDLY_NAMES}), e.g. `admin.projects.users.retrieve(projectId, userId)`. The resources are
 * generated from the spec ({@link ResourceTree}); usage and costs are written by hand here.
 *
 * @example
 * ```ts
 * import { OpenAIAdmin } from 'openai-admin';
 * const admin = new OpenAIAdmin(); // reads OPENAI_ADMIN_KEY
 * for await (const project of admin.projects.list()) console.log(project.name);
 * ```
 */
export class OpenAIAdmin extends ResourceTree {
  /**
   * `admin.usage`: usage per time bucket for each API family, e.g.
   * `admin.usage.completions({ start_time, bucket_width: '1h' })`.
   */
  readonly usage: Usage = new Usage(this);

  /**
   * @example
   * ```ts
   * const admin = new OpenAIAdmin({ apiKey: process.env.OPENAI_ADMIN_KEY, maxRetries: 4, timeout: 30_000 });
   * ```
   */
  constructor(options: ClientOptions = {}) {
    super(options);
  }

  /**
   * Costs per time bucket for the organization (`start_time` required). A method on the client rather than a
   * resource: `admin.costs(query)`. `for await` walks every bucket across pages; `.rows()` flattens buckets into
   * rows carrying `amount`, plus `line_item` / `project_id` when grouped by them.
   *
   * Retried automatically after a transient failure (repeating it has the same effect).
   *
   * @param query - The time range and grouping: see {@link UsageCostsQuery}.
   * @param options - Per-call options: timeout, retries, headers, abort signal.
   * @example
   * ```ts
   * const start_time = Math.floor(Date.now() / 1000) - 30 * 86_400;
   * for await (const row of admin.costs({ start_time, group_by: ['line_item'] }).rows()) {
   *   console.log(row.line_item, row.amount?.value, row.amount?.currency);
   * }
   * ```
   */
  costs(query: UsageCostsQuery, options?: RequestOptions): UsagePagePromise<T.CostsResult, UsageCostsResponse> {
    return usagePages(this, ops.usageCosts, query, options);
  }
}
