import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.projects`: the projects of the organization and everything scoped to one project. */
export class Projects extends APIResource {
  /**
   * Lists projects (active only unless `include_archived`). Await for the first page, iterate for all.
   * @example
   * for await (const project of admin.projects.list({ include_archived: true })) console.log(project.id, project.name);
   */
  list(query?: T.ListProjectsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectsResponse>, T.ListProjectsResponse> {
    return this._client._list(ops.listProjects, { query }, options);
  }

  /**
   * Creates a project. Not retried after an ambiguous failure, so it is never created twice.
   * @example
   * const project = await admin.projects.create({ name: 'Data science' });
   */
  create(body: T.CreateProjectData['body'], options?: RequestOptions): APIPromise<T.CreateProjectResponse> {
    return this._client._call(ops.createProject, { body }, options);
  }

  /**
   * Retrieves a project.
   * @example
   * const project = await admin.projects.retrieve('proj_abc');
   */
  retrieve(projectId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectResponse> {
    return this._client._call(ops.retrieveProject, { path: { project_id: projectId } }, options);
  }
}
