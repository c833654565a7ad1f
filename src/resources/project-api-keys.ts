import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.projects.apiKeys`: the API keys of a project (user and service-account keys). */
export class ProjectApiKeys extends APIResource {
  /**
   * Returns a list of API keys in the project. Await for the first page, iterate for every item.
   * @example
   * for await (const key of admin.projects.apiKeys.list('proj_abc')) console.log(key.id, key.redacted_value);
   */
  list(projectId: string, query?: T.ListProjectApiKeysData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectApiKeysResponse>, T.ListProjectApiKeysResponse> {
    return this._client._list(ops.listProjectApiKeys, { path: { project_id: projectId }, query }, options);
  }

  /**
   * Retrieves an API key in the project.
   * @example
   * const key = await admin.projects.apiKeys.retrieve('proj_abc', 'key_abc');
   */
  retrieve(projectId: string, apiKeyId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectApiKeyResponse> {
    return this._client._call(ops.retrieveProjectApiKey, { path: { project_id: projectId, api_key_id: apiKeyId } }, options);
  }

  /**
   * Deletes an API key from the project. Returns confirmation of the key deletion, or an error if the key belonged
   * to a service account.
   * @example
   * await admin.projects.apiKeys.delete('proj_abc', 'key_abc');
   */
  delete(projectId: string, apiKeyId: string, options?: RequestOptions): APIPromise<T.DeleteProjectApiKeyResponse> {
    return this._client._call(ops.deleteProjectApiKey, { path: { project_id: projectId, api_key_id: apiKeyId } }, options);
  }
}
