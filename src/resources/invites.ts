import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';

/** `admin.invites`: pending and accepted invitations to the organization. */
export class Invites extends APIResource {
  /**
   * Returns a list of invites in the organization. Await for the first page, iterate for every item.
   * @example
   * for await (const invite of admin.invites.list()) console.log(invite.email, invite.status);
   */
  list(query?: T.ListInvitesData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListInvitesResponse>, T.ListInvitesResponse> {
    return this._client._list(ops.listInvites, { query }, options);
  }

  /**
   * Create an invite for a user to the organization. The invite must be accepted by the user before they have
   * access to the organization. Not retried after an ambiguous failure, so it is never created twice.
   * @example
   * const invite = await admin.invites.create({ email: 'ada@example.com', role: 'reader' });
   */
  create(body: T.CreateInviteData['body'], options?: RequestOptions): APIPromise<T.CreateInviteResponse> {
    return this._client._call(ops.createInvite, { body }, options);
  }

  /**
   * Retrieves an invite.
   * @example
   * const invite = await admin.invites.retrieve('invite-abc');
   */
  retrieve(inviteId: string, options?: RequestOptions): APIPromise<T.RetrieveInviteResponse> {
    return this._client._call(ops.retrieveInvite, { path: { invite_id: inviteId } }, options);
  }

  /**
   * Delete an invite. If the invite has already been accepted, it cannot be deleted.
   * @example
   * await admin.invites.delete('invite-abc');
   */
  delete(inviteId: string, options?: RequestOptions): APIPromise<T.DeleteInviteResponse> {
    return this._client._call(ops.deleteInvite, { path: { invite_id: inviteId } }, options);
  }
}
