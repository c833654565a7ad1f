import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.auditLogs`: user actions and configuration changes in the organization. */
export class AuditLogs extends APIResource {
  /**
   * List user actions and configuration changes within this organization. Await for the first page, iterate for
   * every item.
   * @example
   * for await (const event of admin.auditLogs.list({ 'event_types[]': ['api_key.created'], effective_at: { gte: 1700000000 } })) {
   *   console.log(event.type, event.actor);
   * }
   */
  list(query?: T.ListAuditLogsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListAuditLogsResponse>, T.ListAuditLogsResponse> {
    return this._client._list(ops.listAuditLogs, { query }, options);
  }
}
