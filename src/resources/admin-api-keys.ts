import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.adminApiKeys`: the organization's admin API keys. */
export class AdminApiKeys extends APIResource {
  /**
   * List organization API keys. Await for the first page, iterate for every item.
   * @example
   * for await (const key of admin.adminApiKeys.list()) console.log(key.id, key.name);
   */
  list(query?: T.ListAdminApiKeysData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListAdminApiKeysResponse>, T.ListAdminApiKeysResponse> {
    return this._client._list(ops.listAdminApiKeys, { query }, options);
  }

  /**
   * Create an organization admin API key. Not retried after an ambiguous failure, so it is never created twice.
   * @example
   * const key = await admin.adminApiKeys.create({ name: 'terraform' });
   * console.log(key.value); // shown once: store it now
   */
  create(body: T.CreateAdminApiKeyData['body'], options?: RequestOptions): APIPromise<T.CreateAdminApiKeyResponse> {
    return this._client._call(ops.createAdminApiKey, { body }, options);
  }

  /**
   * Retrieve a single organization API key.
   * @example
   * const key = await admin.adminApiKeys.retrieve('key_abc');
   */
  retrieve(keyId: string, options?: RequestOptions): APIPromise<T.RetrieveAdminApiKeyResponse> {
    return this._client._call(ops.retrieveAdminApiKey, { path: { key_id: keyId } }, options);
  }

  /**
   * Delete an organization admin API key.
   * @example
   * await admin.adminApiKeys.delete('key_abc');
   */
  delete(keyId: string, options?: RequestOptions): APIPromise<T.DeleteAdminApiKeyResponse> {
    return this._client._call(ops.deleteAdminApiKey, { path: { key_id: keyId } }, options);
  }
}
