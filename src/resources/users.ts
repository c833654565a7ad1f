import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.users`: the members of the organization. */
export class Users extends APIResource {
  /** Organization roles assigned to a user. */
  readonly roles = new UserRoles(this._client);

  /**
   * Lists all of the users in the organization. Await for the first page, iterate for every item.
   * @example
   * for await (const user of admin.users.list({ emails: ['ada@example.com'] })) console.log(user.id, user.role);
   */
  list(query?: T.ListUsersData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListUsersResponse>, T.ListUsersResponse> {
    return this._client._list(ops.listUsers, { query }, options);
  }

  /**
   * Retrieves a user by their identifier.
   * @example
   * const user = await admin.users.retrieve('user_abc');
   */
  retrieve(userId: string, options?: RequestOptions): APIPromise<T.RetrieveUserResponse> {
    return this._client._call(ops.retrieveUser, { path: { user_id: userId } }, options);
  }

  /**
   * Modifies a user's role in the organization.
   * @example
   * const user = await admin.users.update('user_abc', { role: 'reader' });
   */
  update(userId: string, body: T.UpdateUserData['body'], options?: RequestOptions): APIPromise<T.UpdateUserResponse> {
    return this._client._call(ops.updateUser, { path: { user_id: userId }, body }, options);
  }

  /**
   * Deletes a user from the organization.
   * @example
   * await admin.users.delete('user_abc');
   */
  delete(userId: string, options?: RequestOptions): APIPromise<T.DeleteUserResponse> {
    return this._client._call(ops.deleteUser, { path: { user_id: userId } }, options);
  }
}

/** `admin.users.roles`: organization roles assigned to a user. */
export class UserRoles extends APIResource {
  /**
   * Lists the organization roles assigned to a user within the organization. Await for the first page, iterate for
   * every item.
   * @example
   * for await (const role of admin.users.roles.list('user_abc')) console.log(role.id, role.name);
   */
  list(userId: string, query?: T.ListUserRoleAssignmentsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListUserRoleAssignmentsResponse>, T.ListUserRoleAssignmentsResponse> {
    return this._client._list(ops.listUserRoleAssignments, { path: { user_id: userId }, query }, options);
  }

  /**
   * Assigns an organization role to a user within the organization.
   * @example
   * await admin.users.roles.assign('user_abc', { role_id: 'role_abc' });
   */
  assign(userId: string, body: T.AssignUserRoleData['body'], options?: RequestOptions): APIPromise<T.AssignUserRoleResponse> {
    return this._client._call(ops.assignUserRole, { path: { user_id: userId }, body }, options);
  }

  /**
   * Retrieves an organization role assigned to a user.
   * @example
   * const assignment = await admin.users.roles.retrieve('user_abc', 'role_abc');
   */
  retrieve(userId: string, roleId: string, options?: RequestOptions): APIPromise<T.RetrieveUserRoleResponse> {
    return this._client._call(ops.retrieveUserRole, { path: { user_id: userId, role_id: roleId } }, options);
  }

  /**
   * Unassigns an organization role from a user within the organization.
   * @example
   * await admin.users.roles.unassign('user_abc', 'role_abc');
   */
  unassign(userId: string, roleId: string, options?: RequestOptions): APIPromise<T.UnassignUserRoleResponse> {
    return this._client._call(ops.unassignUserRole, { path: { user_id: userId, role_id: roleId } }, options);
  }
}
