import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource } from './base.js';

/** `admin.projects.modelPermissions`: the models a project may use (allow or deny list). */
export class ProjectModelPermissions extends APIResource {
  /**
   * Returns model permissions for a project.
   * @example
   * const permissions = await admin.projects.modelPermissions.retrieve('proj_abc');
   */
  retrieve(projectId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectModelPermissionsResponse> {
    return this._client._call(ops.retrieveProjectModelPermissions, { path: { project_id: projectId } }, options);
  }

  /**
   * Updates model permissions for a project.
   * @example
   * await admin.projects.modelPermissions.update('proj_abc', { mode: 'allow_list', model_ids: ['gpt-4o-mini'] });
   */
  update(projectId: string, body: T.UpdateProjectModelPermissionsData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectModelPermissionsResponse> {
    return this._client._call(ops.updateProjectModelPermissions, { path: { project_id: projectId }, body }, options);
  }

  /**
   * Deletes model permissions for a project.
   * @example
   * await admin.projects.modelPermissions.delete('proj_abc'); // back to no restriction
   */
  delete(projectId: string, options?: RequestOptions): APIPromise<T.DeleteProjectModelPermissionsResponse> {
    return this._client._call(ops.deleteProjectModelPermissions, { path: { project_id: projectId } }, options);
  }
}

/** `admin.projects.hostedToolPermissions`: the hosted tools (web search, file search, …) a project may use. */
export class ProjectHostedToolPermissions extends APIResource {
  /**
   * Returns hosted tool permissions for a project.
   * @example
   * const tools = await admin.projects.hostedToolPermissions.retrieve('proj_abc');
   */
  retrieve(projectId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectHostedToolPermissionsResponse> {
    return this._client._call(ops.retrieveProjectHostedToolPermissions, { path: { project_id: projectId } }, options);
  }

  /**
   * Updates hosted tool permissions for a project.
   * @example
   * await admin.projects.hostedToolPermissions.update('proj_abc', { web_search: { enabled: false } });
   */
  update(projectId: string, body: T.UpdateProjectHostedToolPermissionsData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectHostedToolPermissionsResponse> {
    return this._client._call(ops.updateProjectHostedToolPermissions, { path: { project_id: projectId }, body }, options);
  }
}
