import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.groups`: groups of users in the organization. */
export class Groups extends APIResource {
  /** The members of a group. */
  readonly users = new GroupUsers(this._client);

  /** Organization roles assigned to a group. */
  readonly roles = new GroupRoles(this._client);

  /**
   * Lists all groups in the organization. Await for the first page, iterate for every item.
   * @example
   * for await (const group of admin.groups.list()) console.log(group.id, group.name);
   */
  list(query?: T.ListGroupsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListGroupsResponse>, T.ListGroupsResponse> {
    return this._client._list(ops.listGroups, { query }, options);
  }

  /**
   * Creates a new group in the organization. Not retried after an ambiguous failure, so it is never created twice.
   * @example
   * const group = await admin.groups.create({ name: 'Support' });
   */
  create(body: T.CreateGroupData['body'], options?: RequestOptions): APIPromise<T.CreateGroupResponse> {
    return this._client._call(ops.createGroup, { body }, options);
  }

  /**
   * Retrieves a group.
   * @example
   * const group = await admin.groups.retrieve('group_abc');
   */
  retrieve(groupId: string, options?: RequestOptions): APIPromise<T.RetrieveGroupResponse> {
    return this._client._call(ops.retrieveGroup, { path: { group_id: groupId } }, options);
  }

  /**
   * Updates a group's information.
   * @example
   * const group = await admin.groups.update('group_abc', { name: 'Customer support' });
   */
  update(groupId: string, body: T.UpdateGroupData['body'], options?: RequestOptions): APIPromise<T.UpdateGroupResponse> {
    return this._client._call(ops.updateGroup, { path: { group_id: groupId }, body }, options);
  }

  /**
   * Deletes a group from the organization.
   * @example
   * await admin.groups.delete('group_abc');
   */
  delete(groupId: string, options?: RequestOptions): APIPromise<T.DeleteGroupResponse> {
    return this._client._call(ops.deleteGroup, { path: { group_id: groupId } }, options);
  }
}

/** `admin.groups.users`: the members of a group. */
export class GroupUsers extends APIResource {
  /**
   * Lists the users assigned to a group. Await for the first page, iterate for every item.
   * @example
   * for await (const user of admin.groups.users.list('group_abc')) console.log(user.email);
   */
  list(groupId: string, query?: T.ListGroupUsersData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListGroupUsersResponse>, T.ListGroupUsersResponse> {
    return this._client._list(ops.listGroupUsers, { path: { group_id: groupId }, query }, options);
  }

  /**
   * Adds a user to a group.
   * @example
   * await admin.groups.users.add('group_abc', { user_id: 'user_abc' });
   */
  add(groupId: string, body: T.AddGroupUserData['body'], options?: RequestOptions): APIPromise<T.AddGroupUserResponse> {
    return this._client._call(ops.addGroupUser, { path: { group_id: groupId }, body }, options);
  }

  /**
   * Retrieves a user in a group.
   * @example
   * const user = await admin.groups.users.retrieve('group_abc', 'user_abc');
   */
  retrieve(groupId: string, userId: string, options?: RequestOptions): APIPromise<T.RetrieveGroupUserResponse> {
    return this._client._call(ops.retrieveGroupUser, { path: { group_id: groupId, user_id: userId } }, options);
  }

  /**
   * Removes a user from a group.
   * @example
   * await admin.groups.users.remove('group_abc', 'user_abc');
   */
  remove(groupId: string, userId: string, options?: RequestOptions): APIPromise<T.RemoveGroupUserResponse> {
    return this._client._call(ops.removeGroupUser, { path: { group_id: groupId, user_id: userId } }, options);
  }
}

/** `admin.groups.roles`: organization roles assigned to a group. */
export class GroupRoles extends APIResource {
  /**
   * Lists the organization roles assigned to a group within the organization. Await for the first page, iterate
   * for every item.
   * @example
   * for await (const role of admin.groups.roles.list('group_abc')) console.log(role.id, role.name);
   */
  list(groupId: string, query?: T.ListGroupRoleAssignmentsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListGroupRoleAssignmentsResponse>, T.ListGroupRoleAssignmentsResponse> {
    return this._client._list(ops.listGroupRoleAssignments, { path: { group_id: groupId }, query }, options);
  }

  /**
   * Assigns an organization role to a group within the organization.
   * @example
   * await admin.groups.roles.assign('group_abc', { role_id: 'role_abc' });
   */
  assign(groupId: string, body: T.AssignGroupRoleData['body'], options?: RequestOptions): APIPromise<T.AssignGroupRoleResponse> {
    return this._client._call(ops.assignGroupRole, { path: { group_id: groupId }, body }, options);
  }

  /**
   * Retrieves an organization role assigned to a group.
   * @example
   * const assignment = await admin.groups.roles.retrieve('group_abc', 'role_abc');
   */
  retrieve(groupId: string, roleId: string, options?: RequestOptions): APIPromise<T.RetrieveGroupRoleResponse> {
    return this._client._call(ops.retrieveGroupRole, { path: { group_id: groupId, role_id: roleId } }, options);
  }

  /**
   * Unassigns an organization role from a group within the organization.
   * @example
   * await admin.groups.roles.unassign('group_abc', 'role_abc');
   */
  unassign(groupId: string, roleId: string, options?: RequestOptions): APIPromise<T.UnassignGroupRoleResponse> {
    return this._client._call(ops.unassignGroupRole, { path: { group_id: groupId, role_id: roleId } }, options);
  }
}
