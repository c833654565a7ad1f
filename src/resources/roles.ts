import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.roles`: the roles defined for the organization. */
export class Roles extends APIResource {
  /**
   * Lists the roles configured for the organization. Await for the first page, iterate for every item.
   * @example
   * for await (const role of admin.roles.list()) console.log(role.name, role.predefined_role);
   */
  list(query?: T.ListRolesData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListRolesResponse>, T.ListRolesResponse> {
    return this._client._list(ops.listRoles, { query }, options);
  }

  /**
   * Creates a custom role for the organization. Not retried after an ambiguous failure, so it is never created
   * twice.
   * @example
   * const role = await admin.roles.create({ role_name: 'Billing viewer', permissions: ['api.organization.billing.read'] });
   */
  create(body: T.CreateRoleData['body'], options?: RequestOptions): APIPromise<T.CreateRoleResponse> {
    return this._client._call(ops.createRole, { body }, options);
  }

  /**
   * Retrieves an organization role.
   * @example
   * const role = await admin.roles.retrieve('role_abc');
   */
  retrieve(roleId: string, options?: RequestOptions): APIPromise<T.RetrieveRoleResponse> {
    return this._client._call(ops.retrieveRole, { path: { role_id: roleId } }, options);
  }

  /**
   * Updates an existing organization role.
   * @example
   * const role = await admin.roles.update('role_abc', { description: 'Can see invoices' });
   */
  update(roleId: string, body: T.UpdateRoleData['body'], options?: RequestOptions): APIPromise<T.UpdateRoleResponse> {
    return this._client._call(ops.updateRole, { path: { role_id: roleId }, body }, options);
  }

  /**
   * Deletes a custom role from the organization.
   * @example
   * await admin.roles.delete('role_abc');
   */
  delete(roleId: string, options?: RequestOptions): APIPromise<T.DeleteRoleResponse> {
    return this._client._call(ops.deleteRole, { path: { role_id: roleId } }, options);
  }
}

/** `admin.projects.roles`: the roles defined for one project. */
export class ProjectRoles extends APIResource {
  /**
   * Lists the roles configured for a project. Await for the first page, iterate for every item.
   * @example
   * for await (const role of admin.projects.roles.list('proj_abc')) console.log(role.name, role.permissions);
   */
  list(projectId: string, query?: T.ListProjectRolesData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectRolesResponse>, T.ListProjectRolesResponse> {
    return this._client._list(ops.listProjectRoles, { path: { project_id: projectId }, query }, options);
  }

  /**
   * Creates a custom role for a project. Not retried after an ambiguous failure, so it is never created twice.
   * @example
   * const role = await admin.projects.roles.create('proj_abc', { role_name: 'Viewer', permissions: ['api.model.read'] });
   */
  create(projectId: string, body: T.CreateProjectRoleData['body'], options?: RequestOptions): APIPromise<T.CreateProjectRoleResponse> {
    return this._client._call(ops.createProjectRole, { path: { project_id: projectId }, body }, options);
  }

  /**
   * Retrieves a project role.
   * @example
   * const role = await admin.projects.roles.retrieve('proj_abc', 'role_abc');
   */
  retrieve(projectId: string, roleId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectRoleResponse> {
    return this._client._call(ops.retrieveProjectRole, { path: { project_id: projectId, role_id: roleId } }, options);
  }

  /**
   * Updates an existing project role.
   * @example
   * const role = await admin.projects.roles.update('proj_abc', 'role_abc', { description: 'Read-only access' });
   */
  update(projectId: string, roleId: string, body: T.UpdateProjectRoleData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectRoleResponse> {
    return this._client._call(ops.updateProjectRole, { path: { project_id: projectId, role_id: roleId }, body }, options);
  }

  /**
   * Deletes a custom role from a project.
   * @example
   * await admin.projects.roles.delete('proj_abc', 'role_abc');
   */
  delete(projectId: string, roleId: string, options?: RequestOptions): APIPromise<T.DeleteProjectRoleResponse> {
    return this._client._call(ops.deleteProjectRole, { path: { project_id: projectId, role_id: roleId } }, options);
  }
}
