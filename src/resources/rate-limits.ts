import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.projects.rateLimits`: per-model rate limits of a project. */
export class ProjectRateLimits extends APIResource {
  /**
   * Returns the rate limits per model for a project. Await for the first page, iterate for every item.
   * @example
   * for await (const limit of admin.projects.rateLimits.list('proj_abc')) console.log(limit.model, limit.max_requests_per_1_minute);
   */
  list(projectId: string, query?: T.ListProjectRateLimitsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectRateLimitsResponse>, T.ListProjectRateLimitsResponse> {
    return this._client._list(ops.listProjectRateLimits, { path: { project_id: projectId }, query }, options);
  }

  /**
   * Updates a project rate limit.
   * @example
   * await admin.projects.rateLimits.update('proj_abc', 'rl-gpt-4o', { max_requests_per_1_minute: 500 });
   */
  update(projectId: string, rateLimitId: string, body: T.UpdateProjectRateLimitData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectRateLimitResponse> {
    return this._client._call(ops.updateProjectRateLimit, { path: { project_id: projectId, rate_limit_id: rateLimitId }, body }, options);
  }
}
