import { badRequest, conflict } from '../errors.js';
import { cursorList } from '../pagination.js';
import { addAdminKey } from '../seed.js';
import { found } from '../store.js';
import { adminKeyOwnerView, userView } from '../views.js';
import { created, ok, type Handlers } from './types.js';

const ORG_ROLES = ['owner', 'reader'];

/** Org users, invites, admin API keys, audit logs and org data retention. */
export const organizationHandlers: Handlers<
  | 'listUsers'
  | 'retrieveUser'
  | 'updateUser'
  | 'deleteUser'
  | 'listInvites'
  | 'createInvite'
  | 'retrieveInvite'
  | 'deleteInvite'
  | 'listAdminApiKeys'
  | 'createAdminApiKey'
  | 'retrieveAdminApiKey'
  | 'deleteAdminApiKey'
  | 'listAuditLogs'
  | 'retrieveOrganizationDataRetention'
  | 'updateOrganizationDataRetention'
> = {
  listUsers: ({ state, query }) => {
    const emails: string[] | undefined = query.emails;
    const all = [...state.users.values()];
    const items = emails ? all.filter((u) => u.email !== null && emails.includes(u.email)) : all;
    return ok(cursorList(items, query, userView));
  },

  retrieveUser: ({ state, path }) => ok(userView(state.user(path.user_id))),

  updateUser: ({ state, path, body }) => {
    const u = state.user(path.user_id);
    if (body.role != null) {
      if (!ORG_ROLES.includes(body.role))
        throw badRequest(
          `Invalid 'role': expected 'owner' or 'reader', got '${String(body.role)}'.`,
          'role',
          'invalid_value',
        );
      u.role = body.role;
    }
    state.audit('user.updated', { id: u.id, changes_requested: { role: u.role } });
    return ok(userView(u));
  },

  deleteUser: ({ state, path }) => {
    const u = state.user(path.user_id);
    state.users.delete(u.id);
    // Removing someone from the org removes them everywhere, as upstream.
    for (const p of state.projects.values()) p.users.delete(u.id);
    for (const g of state.groups.values()) g.members.delete(u.id);
    state.dropAssignments((a) => a.principalType === 'user' && a.principalId === u.id);
    state.audit('user.deleted', { id: u.id });
    return ok({ object: 'organization.user.deleted', id: u.id, deleted: true });
  },

  listInvites: ({ state, query }) => ok(cursorList([...state.invites.values()], query, (i) => ({ ...i }))),

  createInvite: ({ state, body }) => {
    const email = String(body.email).trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw badRequest(`Invalid 'email': '${String(body.email)}' is not an email address.`, 'email');
    if ([...state.users.values()].some((u) => u.email === email))
      throw conflict(`'${email}' is already a member of this organization.`, 'email');
    if ([...state.invites.values()].some((i) => i.email === email && i.status === 'pending')) {
      throw conflict(`An invite for '${email}' is already pending.`, 'email');
    }
    const projects: { id: string; role: 'member' | 'owner' }[] = body.projects ?? [];
    projects.forEach((p, i) => {
      if (!state.projects.has(p.id))
        throw badRequest(`Invalid 'projects[${i}].id': no project '${p.id}'.`, `projects[${i}].id`);
    });
    const now = state.now();
    const invite = {
      object: 'organization.invite' as const,
      id: state.newId('invite-'),
      email,
      role: body.role,
      status: 'pending',
      created_at: now,
      expires_at: now + 7 * 86400,
      accepted_at: null,
      projects: projects.map((p) => ({ id: p.id, role: p.role })),
    };
    state.invites.set(invite.id, invite);
    state.audit('invite.sent', { id: invite.id, data: { email, role: invite.role } });
    return created({ ...invite });
  },

  retrieveInvite: ({ state, path }) => ok({ ...found(state.invites, path.invite_id, 'invite', 'invite_id') }),

  deleteInvite: ({ state, path }) => {
    const i = found(state.invites, path.invite_id, 'invite', 'invite_id');
    if (i.status === 'accepted')
      throw conflict(`Invite '${i.id}' was already accepted and cannot be deleted.`, 'invite_id');
    state.invites.delete(i.id);
    state.audit('invite.deleted', { id: i.id });
    return ok({ object: 'organization.invite.deleted', id: i.id, deleted: true });
  },

  listAdminApiKeys: ({ state, query }) => ok(cursorList([...state.adminKeys.values()], query, (k) => ({ ...k }))),

  createAdminApiKey: ({ state, body }) => {
    const now = state.now();
    const owner = state.users.values().next().value;
    const { record, value } = addAdminKey(state, {
      name: body.name,
      created_at: now,
      expires_at: typeof body.expires_in_seconds === 'number' ? now + body.expires_in_seconds : null,
      last_used_at: null,
      owner: owner ? adminKeyOwnerView(owner) : {},
    });
    state.audit('api_key.created', {
      id: record.id,
      data: { scopes: ['api.management.read', 'api.management.write'] },
    });
    return ok({ ...record, value });
  },

  retrieveAdminApiKey: ({ state, path }) => ok({ ...found(state.adminKeys, path.key_id, 'admin API key', 'key_id') }),

  deleteAdminApiKey: ({ state, path }) => {
    const k = found(state.adminKeys, path.key_id, 'admin API key', 'key_id');
    state.adminKeys.delete(k.id);
    state.audit('api_key.deleted', { id: k.id });
    return ok({ id: k.id, object: 'organization.admin_api_key.deleted', deleted: true });
  },

  listAuditLogs: ({ state, query }) => {
    const eff = query.effective_at as { gt?: number; gte?: number; lt?: number; lte?: number } | undefined;
    const projectIds: string[] | undefined = query['project_ids[]'];
    const types: string[] | undefined = query['event_types[]'];
    const actorIds: string[] | undefined = query['actor_ids[]'];
    const actorEmails: string[] | undefined = query['actor_emails[]'];
    const resourceIds: string[] | undefined = query['resource_ids[]'];
    const items = state.auditLogs
      .filter((e) => {
        const t = e.effective_at;
        if (
          eff &&
          ((eff.gt !== undefined && !(t > eff.gt)) ||
            (eff.gte !== undefined && !(t >= eff.gte)) ||
            (eff.lt !== undefined && !(t < eff.lt)) ||
            (eff.lte !== undefined && !(t <= eff.lte)))
        )
          return false;
        if (projectIds && !projectIds.includes(e.project?.id ?? '')) return false;
        if (types && !types.includes(e.type)) return false;
        const user = e.actor?.api_key?.user ?? e.actor?.session?.user;
        if (actorIds && !actorIds.includes(user?.id ?? '') && !actorIds.includes(e.actor?.api_key?.id ?? ''))
          return false;
        if (actorEmails && !actorEmails.includes(user?.email ?? '')) return false;
        if (resourceIds) {
          const details = (e as unknown as Record<string, { id?: string } | undefined>)[e.type];
          if (!resourceIds.includes(details?.id ?? '')) return false;
        }
        return true;
      })
      // Newest first, like the real audit log.
      .reverse();
    return ok(cursorList(items, { ...query, order: undefined }, (e) => e));
  },

  retrieveOrganizationDataRetention: ({ state }) =>
    ok({ object: 'organization.data_retention', type: state.orgDataRetention }),

  updateOrganizationDataRetention: ({ state, body }) => {
    state.orgDataRetention = body.retention_type;
    state.audit('organization.updated', { id: 'org', changes_requested: { data_retention: body.retention_type } });
    return ok({ object: 'organization.data_retention', type: state.orgDataRetention });
  },
};
