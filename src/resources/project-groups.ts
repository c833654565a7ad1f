import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.projects.groups`: the groups that have access to a project. */
export class ProjectGroups extends APIResource {
  /** Project roles assigned to a group within a project. */
  readonly roles = new ProjectGroupRoles(this._client);

  /**
   * Lists the groups that have access to a project. Await for the first page, iterate for every item.
   * @example
   * for await (const group of admin.projects.groups.list('proj_abc')) console.log(group.group_name);
   */
  list(projectId: string, query?: T.ListProjectGroupsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectGroupsResponse>, T.ListProjectGroupsResponse> {
    return this._client._list(ops.listProjectGroups, { path: { project_id: projectId }, query }, options);
  }

  /**
   * Grants a group access to a project.
   * @example
   * await admin.projects.groups.add('proj_abc', { group_id: 'group_abc', role: 'role_abc' });
   */
  add(projectId: string, body: T.AddProjectGroupData['body'], options?: RequestOptions): APIPromise<T.AddProjectGroupResponse> {
    return this._client._call(ops.addProjectGroup, { path: { project_id: projectId }, body }, options);
  }

  /**
   * Retrieves a project's group.
   * @example
   * const group = await admin.projects.groups.retrieve('proj_abc', 'group_abc');
   */
  retrieve(projectId: string, groupId: string, query?: T.RetrieveProjectGroupData['query'], options?: RequestOptions): APIPromise<T.RetrieveProjectGroupResponse> {
    return this._client._call(ops.retrieveProjectGroup, { path: { project_id: projectId, group_id: groupId }, query }, options);
  }

  /**
   * Revokes a group's access to a project.
   * @example
   * await admin.projects.groups.remove('proj_abc', 'group_abc');
   */
  remove(projectId: string, groupId: string, options?: RequestOptions): APIPromise<T.RemoveProjectGroupResponse> {
    return this._client._call(ops.removeProjectGroup, { path: { project_id: projectId, group_id: groupId } }, options);
  }
}

/** `admin.projects.groups.roles`: project roles assigned to a group within a project. */
export class ProjectGroupRoles extends APIResource {
  /**
   * Lists the project roles assigned to a group within a project. Await for the first page, iterate for every
   * item.
   * @example
   * for await (const role of admin.projects.groups.roles.list('proj_abc', 'group_abc')) console.log(role.id, role.name);
   */
  list(projectId: string, groupId: string, query?: T.ListProjectGroupRoleAssignmentsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectGroupRoleAssignmentsResponse>, T.ListProjectGroupRoleAssignmentsResponse> {
    return this._client._list(ops.listProjectGroupRoleAssignments, { path: { project_id: projectId, group_id: groupId }, query }, options);
  }

  /**
   * Assigns a project role to a group within a project.
   * @example
   * await admin.projects.groups.roles.assign('proj_abc', 'group_abc', { role_id: 'role_abc' });
   */
  assign(projectId: string, groupId: string, body: T.AssignProjectGroupRoleData['body'], options?: RequestOptions): APIPromise<T.AssignProjectGroupRoleResponse> {
    return this._client._call(ops.assignProjectGroupRole, { path: { project_id: projectId, group_id: groupId }, body }, options);
  }

  /**
   * Retrieves a project role assigned to a group.
   * @example
   * const assignment = await admin.projects.groups.roles.retrieve('proj_abc', 'group_abc', 'role_abc');
   */
  retrieve(projectId: string, groupId: string, roleId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectGroupRoleResponse> {
    return this._client._call(ops.retrieveProjectGroupRole, { path: { project_id: projectId, group_id: groupId, role_id: roleId } }, options);
  }

  /**
   * Unassigns a project role from a group within a project.
   * @example
   * await admin.projects.groups.roles.unassign('proj_abc', 'group_abc', 'role_abc');
   */
  unassign(projectId: string, groupId: string, roleId: string, options?: RequestOptions): APIPromise<T.UnassignProjectGroupRoleResponse> {
    return this._client._call(ops.unassignProjectGroupRole, { path: { project_id: projectId, group_id: groupId, role_id: roleId } }, options);
  }
}
