import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource } from './base.js';

/** `admin.dataRetention`: the organization's data retention controls. */
export class DataRetention extends APIResource {
  /**
   * Retrieves organization data retention controls.
   * @example
   * const retention = await admin.dataRetention.retrieve();
   */
  retrieve(options?: RequestOptions): APIPromise<T.RetrieveOrganizationDataRetentionResponse> {
    return this._client._call(ops.retrieveOrganizationDataRetention, {  }, options);
  }

  /**
   * Updates organization data retention controls.
   * @example
   * await admin.dataRetention.update({ retention_type: 'zero_data_retention' });
   */
  update(body: T.UpdateOrganizationDataRetentionData['body'], options?: RequestOptions): APIPromise<T.UpdateOrganizationDataRetentionResponse> {
    return this._client._call(ops.updateOrganizationDataRetention, { body }, options);
  }
}

/** `admin.projects.dataRetention`: the data retention controls of a project. */
export class ProjectDataRetention extends APIResource {
  /**
   * Retrieves project data retention controls.
   * @example
   * const retention = await admin.projects.dataRetention.retrieve('proj_abc');
   */
  retrieve(projectId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectDataRetentionResponse> {
    return this._client._call(ops.retrieveProjectDataRetention, { path: { project_id: projectId } }, options);
  }

  /**
   * Updates project data retention controls.
   * @example
   * await admin.projects.dataRetention.update('proj_abc', { retention_type: 'zero_data_retention' });
   */
  update(projectId: string, body: T.UpdateProjectDataRetentionData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectDataRetentionResponse> {
    return this._client._call(ops.updateProjectDataRetention, { path: { project_id: projectId }, body }, options);
  }
}
