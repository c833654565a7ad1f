import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.spendAlerts`: e-mail alerts when the organization's monthly spend crosses a threshold. */
export class SpendAlerts extends APIResource {
  /**
   * Lists organization spend alerts. Await for the first page, iterate for every item.
   * @example
   * for await (const alert of admin.spendAlerts.list()) console.log(alert.id, alert.threshold_amount);
   */
  list(query?: T.ListOrganizationSpendAlertsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListOrganizationSpendAlertsResponse>, T.ListOrganizationSpendAlertsResponse> {
    return this._client._list(ops.listOrganizationSpendAlerts, { query }, options);
  }

  /**
   * Creates an organization spend alert. Not retried after an ambiguous failure, so it is never created twice.
   * @example
   * const alert = await admin.spendAlerts.create({
   *   threshold_amount: 5000,
   *   currency: 'USD',
   *   interval: 'month',
   *   notification_channel: { type: 'email', recipients: ['finance@example.com'] },
   * });
   */
  create(body: T.CreateOrganizationSpendAlertData['body'], options?: RequestOptions): APIPromise<T.CreateOrganizationSpendAlertResponse> {
    return this._client._call(ops.createOrganizationSpendAlert, { body }, options);
  }

  /**
   * Retrieves an organization spend alert.
   * @example
   * const alert = await admin.spendAlerts.retrieve('alert_abc');
   */
  retrieve(alertId: string, options?: RequestOptions): APIPromise<T.RetrieveOrganizationSpendAlertResponse> {
    return this._client._call(ops.retrieveOrganizationSpendAlert, { path: { alert_id: alertId } }, options);
  }

  /**
   * Updates an organization spend alert.
   * @example
   * await admin.spendAlerts.update('alert_abc', {
   *   threshold_amount: 7500,
   *   currency: 'USD',
   *   interval: 'month',
   *   notification_channel: { type: 'email', recipients: ['finance@example.com'] },
   * });
   */
  update(alertId: string, body: T.UpdateOrganizationSpendAlertData['body'], options?: RequestOptions): APIPromise<T.UpdateOrganizationSpendAlertResponse> {
    return this._client._call(ops.updateOrganizationSpendAlert, { path: { alert_id: alertId }, body }, options);
  }

  /**
   * Deletes an organization spend alert.
   * @example
   * await admin.spendAlerts.delete('alert_abc');
   */
  delete(alertId: string, options?: RequestOptions): APIPromise<T.DeleteOrganizationSpendAlertResponse> {
    return this._client._call(ops.deleteOrganizationSpendAlert, { path: { alert_id: alertId } }, options);
  }
}

/** `admin.spendLimit`: the organization's hard monthly spend limit. */
export class SpendLimit extends APIResource {
  /**
   * Get the organization's hard spend limit.
   * @example
   * const limit = await admin.spendLimit.retrieve();
   */
  retrieve(options?: RequestOptions): APIPromise<T.RetrieveOrganizationSpendLimitResponse> {
    return this._client._call(ops.retrieveOrganizationSpendLimit, {  }, options);
  }

  /**
   * Create or replace the organization's hard spend limit.
   * @example
   * await admin.spendLimit.update({ threshold_amount: 10000, currency: 'USD', interval: 'month' });
   */
  update(body: T.UpdateOrganizationSpendLimitData['body'], options?: RequestOptions): APIPromise<T.UpdateOrganizationSpendLimitResponse> {
    return this._client._call(ops.updateOrganizationSpendLimit, { body }, options);
  }

  /**
   * Delete the organization's hard spend limit.
   * @example
   * await admin.spendLimit.delete();
   */
  delete(options?: RequestOptions): APIPromise<T.DeleteOrganizationSpendLimitResponse> {
    return this._client._call(ops.deleteOrganizationSpendLimit, {  }, options);
  }
}

/** `admin.projects.spendAlerts`: e-mail alerts when a project's monthly spend crosses a threshold. */
export class ProjectSpendAlerts extends APIResource {
  /**
   * Lists project spend alerts. Await for the first page, iterate for every item.
   * @example
   * for await (const alert of admin.projects.spendAlerts.list('proj_abc')) console.log(alert.id, alert.threshold_amount);
   */
  list(projectId: string, query?: T.ListProjectSpendAlertsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectSpendAlertsResponse>, T.ListProjectSpendAlertsResponse> {
    return this._client._list(ops.listProjectSpendAlerts, { path: { project_id: projectId }, query }, options);
  }

  /**
   * Creates a project spend alert. Not retried after an ambiguous failure, so it is never created twice.
   * @example
   * const alert = await admin.projects.spendAlerts.create('proj_abc', {
   *   threshold_amount: 500,
   *   currency: 'USD',
   *   interval: 'month',
   *   notification_channel: { type: 'email', recipients: ['finance@example.com'] },
   * });
   */
  create(projectId: string, body: T.CreateProjectSpendAlertData['body'], options?: RequestOptions): APIPromise<T.CreateProjectSpendAlertResponse> {
    return this._client._call(ops.createProjectSpendAlert, { path: { project_id: projectId }, body }, options);
  }

  /**
   * Retrieves a project spend alert.
   * @example
   * const alert = await admin.projects.spendAlerts.retrieve('proj_abc', 'alert_abc');
   */
  retrieve(projectId: string, alertId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectSpendAlertResponse> {
    return this._client._call(ops.retrieveProjectSpendAlert, { path: { project_id: projectId, alert_id: alertId } }, options);
  }

  /**
   * Updates a project spend alert.
   * @example
   * await admin.projects.spendAlerts.update('proj_abc', 'alert_abc', {
   *   threshold_amount: 750,
   *   currency: 'USD',
   *   interval: 'month',
   *   notification_channel: { type: 'email', recipients: ['finance@example.com'] },
   * });
   */
  update(projectId: string, alertId: string, body: T.UpdateProjectSpendAlertData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectSpendAlertResponse> {
    return this._client._call(ops.updateProjectSpendAlert, { path: { project_id: projectId, alert_id: alertId }, body }, options);
  }

  /**
   * Deletes a project spend alert.
   * @example
   * await admin.projects.spendAlerts.delete('proj_abc', 'alert_abc');
   */
  delete(projectId: string, alertId: string, options?: RequestOptions): APIPromise<T.DeleteProjectSpendAlertResponse> {
    return this._client._call(ops.deleteProjectSpendAlert, { path: { project_id: projectId, alert_id: alertId } }, options);
  }
}

/** `admin.projects.spendLimit`: the hard monthly spend limit of a project. */
export class ProjectSpendLimit extends APIResource {
  /**
   * Get a project's hard spend limit.
   * @example
   * const limit = await admin.projects.spendLimit.retrieve('proj_abc');
   */
  retrieve(projectId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectSpendLimitResponse> {
    return this._client._call(ops.retrieveProjectSpendLimit, { path: { project_id: projectId } }, options);
  }

  /**
   * Create or replace a project's hard spend limit.
   * @example
   * await admin.projects.spendLimit.update('proj_abc', { threshold_amount: 1000, currency: 'USD', interval: 'month' });
   */
  update(projectId: string, body: T.UpdateProjectSpendLimitData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectSpendLimitResponse> {
    return this._client._call(ops.updateProjectSpendLimit, { path: { project_id: projectId }, body }, options);
  }

  /**
   * Delete a project's hard spend limit.
   * @example
   * await admin.projects.spendLimit.delete('proj_abc');
   */
  delete(projectId: string, options?: RequestOptions): APIPromise<T.DeleteProjectSpendLimitResponse> {
    return this._client._call(ops.deleteProjectSpendLimit, { path: { project_id: projectId } }, options);
  }
}
