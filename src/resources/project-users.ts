import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.projects.users`: the members of a project. */
export class ProjectUsers extends APIResource {
  /** Project roles assigned to a project member. */
  readonly roles = new ProjectUserRoles(this._client);

  /**
   * Returns a list of users in the project. Await for the first page, iterate for every item.
   * @example
   * for await (const user of admin.projects.users.list('proj_abc')) console.log(user.email, user.role);
   */
  list(projectId: string, query?: T.ListProjectUsersData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectUsersResponse>, T.ListProjectUsersResponse> {
    return this._client._list(ops.listProjectUsers, { path: { project_id: projectId }, query }, options);
  }

  /**
   * Adds a user to the project. Users must already be members of the organization to be added to a project. Not
   * retried after an ambiguous failure, so it is never created twice.
   * @example
   * const member = await admin.projects.users.create('proj_abc', { user_id: 'user_abc', role: 'member' });
   */
  create(projectId: string, body: T.CreateProjectUserData['body'], options?: RequestOptions): APIPromise<T.CreateProjectUserResponse> {
    return this._client._call(ops.createProjectUser, { path: { project_id: projectId }, body }, options);
  }

  /**
   * Retrieves a user in the project.
   * @example
   * const member = await admin.projects.users.retrieve('proj_abc', 'user_abc');
   */
  retrieve(projectId: string, userId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectUserResponse> {
    return this._client._call(ops.retrieveProjectUser, { path: { project_id: projectId, user_id: userId } }, options);
  }

  /**
   * Modifies a user's role in the project.
   * @example
   * const member = await admin.projects.users.update('proj_abc', 'user_abc', { role: 'owner' });
   */
  update(projectId: string, userId: string, body: T.UpdateProjectUserData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectUserResponse> {
    return this._client._call(ops.updateProjectUser, { path: { project_id: projectId, user_id: userId }, body }, options);
  }

  /**
   * Deletes a user from the project. Returns confirmation of project user deletion, or an error if the project is
   * archived (archived projects have no users).
   * @example
   * await admin.projects.users.delete('proj_abc', 'user_abc');
   */
  delete(projectId: string, userId: string, options?: RequestOptions): APIPromise<T.DeleteProjectUserResponse> {
    return this._client._call(ops.deleteProjectUser, { path: { project_id: projectId, user_id: userId } }, options);
  }
}

/** `admin.projects.users.roles`: project roles assigned to a project member. */
export class ProjectUserRoles extends APIResource {
  /**
   * Lists the project roles assigned to a user within a project. Await for the first page, iterate for every item.
   * @example
   * for await (const role of admin.projects.users.roles.list('proj_abc', 'user_abc')) console.log(role.id, role.name);
   */
  list(projectId: string, userId: string, query?: T.ListProjectUserRoleAssignmentsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectUserRoleAssignmentsResponse>, T.ListProjectUserRoleAssignmentsResponse> {
    return this._client._list(ops.listProjectUserRoleAssignments, { path: { project_id: projectId, user_id: userId }, query }, options);
  }

  /**
   * Assigns a project role to a user within a project.
   * @example
   * await admin.projects.users.roles.assign('proj_abc', 'user_abc', { role_id: 'role_abc' });
   */
  assign(projectId: string, userId: string, body: T.AssignProjectUserRoleData['body'], options?: RequestOptions): APIPromise<T.AssignProjectUserRoleResponse> {
    return this._client._call(ops.assignProjectUserRole, { path: { project_id: projectId, user_id: userId }, body }, options);
  }

  /**
   * Retrieves a project role assigned to a user.
   * @example
   * const assignment = await admin.projects.users.roles.retrieve('proj_abc', 'user_abc', 'role_abc');
   */
  retrieve(projectId: string, userId: string, roleId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectUserRoleResponse> {
    return this._client._call(ops.retrieveProjectUserRole, { path: { project_id: projectId, user_id: userId, role_id: roleId } }, options);
  }

  /**
   * Unassigns a project role from a user within a project.
   * @example
   * await admin.projects.users.roles.unassign('proj_abc', 'user_abc', 'role_abc');
   */
  unassign(projectId: string, userId: string, roleId: string, options?: RequestOptions): APIPromise<T.UnassignProjectUserRoleResponse> {
    return this._client._call(ops.unassignProjectUserRole, { path: { project_id: projectId, user_id: userId, role_id: roleId } }, options);
  }
}
