import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.projects.serviceAccounts`: non-human members of a project, each with its own API keys. */
export class ProjectServiceAccounts extends APIResource {
  /** Additional API keys for a service account. */
  readonly apiKeys = new ServiceAccountApiKeys(this._client);

  /**
   * Returns a list of service accounts in the project. Await for the first page, iterate for every item.
   * @example
   * for await (const account of admin.projects.serviceAccounts.list('proj_abc')) console.log(account.id, account.name);
   */
  list(projectId: string, query?: T.ListProjectServiceAccountsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectServiceAccountsResponse>, T.ListProjectServiceAccountsResponse> {
    return this._client._list(ops.listProjectServiceAccounts, { path: { project_id: projectId }, query }, options);
  }

  /**
   * Creates a new service account in the project. By default, this also returns an unredacted API key for the
   * service account. Not retried after an ambiguous failure, so it is never created twice.
   * @example
   * const account = await admin.projects.serviceAccounts.create('proj_abc', { name: 'ci-bot' });
   * console.log(account.api_key?.value); // shown once: store it now
   */
  create(projectId: string, body: T.CreateProjectServiceAccountData['body'], options?: RequestOptions): APIPromise<T.CreateProjectServiceAccountResponse> {
    return this._client._call(ops.createProjectServiceAccount, { path: { project_id: projectId }, body }, options);
  }

  /**
   * Retrieves a service account in the project.
   * @example
   * const account = await admin.projects.serviceAccounts.retrieve('proj_abc', 'svc_acct_abc');
   */
  retrieve(projectId: string, serviceAccountId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectServiceAccountResponse> {
    return this._client._call(ops.retrieveProjectServiceAccount, { path: { project_id: projectId, service_account_id: serviceAccountId } }, options);
  }

  /**
   * Updates a service account in the project.
   * @example
   * const account = await admin.projects.serviceAccounts.update('proj_abc', 'svc_acct_abc', { name: 'ci-bot-2' });
   */
  update(projectId: string, serviceAccountId: string, body: T.UpdateProjectServiceAccountData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectServiceAccountResponse> {
    return this._client._call(ops.updateProjectServiceAccount, { path: { project_id: projectId, service_account_id: serviceAccountId }, body }, options);
  }

  /**
   * Deletes a service account from the project. Returns confirmation of service account deletion, or an error if
   * the project is archived (archived projects have no service accounts).
   * @example
   * await admin.projects.serviceAccounts.delete('proj_abc', 'svc_acct_abc');
   */
  delete(projectId: string, serviceAccountId: string, options?: RequestOptions): APIPromise<T.DeleteProjectServiceAccountResponse> {
    return this._client._call(ops.deleteProjectServiceAccount, { path: { project_id: projectId, service_account_id: serviceAccountId } }, options);
  }
}

/** `admin.projects.serviceAccounts.apiKeys`: additional API keys for a service account. */
export class ServiceAccountApiKeys extends APIResource {
  /**
   * Creates an API key for a service account in the project. Not retried after an ambiguous failure, so it is
   * never created twice.
   * @example
   * const key = await admin.projects.serviceAccounts.apiKeys.create('proj_abc', 'svc_acct_abc', { name: 'rotation-2025-06' });
   */
  create(projectId: string, serviceAccountId: string, body?: T.CreateProjectServiceAccountApiKeyData['body'], options?: RequestOptions): APIPromise<T.CreateProjectServiceAccountApiKeyResponse> {
    return this._client._call(ops.createProjectServiceAccountApiKey, { path: { project_id: projectId, service_account_id: serviceAccountId }, body }, options);
  }
}
