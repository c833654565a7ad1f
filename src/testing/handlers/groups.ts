import { badRequest, conflict, notFound } from '../errors.js';
import { nextList } from '../pagination.js';
import type { EmulatorState } from '../store.js';
import { groupView } from '../views.js';
import { ok, type Handlers } from './types.js';

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !name.trim()) throw badRequest("Invalid 'name': must not be empty.", 'name');
  return name;
}

/** Org groups, their members, and groups added to projects. */
export const groupHandlers: Handlers<
  | 'listGroups'
  | 'createGroup'
  | 'retrieveGroup'
  | 'updateGroup'
  | 'deleteGroup'
  | 'listGroupUsers'
  | 'addGroupUser'
  | 'retrieveGroupUser'
  | 'removeGroupUser'
  | 'listProjectGroups'
  | 'addProjectGroup'
  | 'retrieveProjectGroup'
  | 'removeProjectGroup'
> = {
  listGroups: ({ state, query }) => ok(nextList([...state.groups.values()], query, groupView)),

  createGroup: ({ state, body }) => {
    const name = checkName(body.name);
    if ([...state.groups.values()].some((g) => g.name === name))
      throw conflict(`A group named '${name}' already exists.`, 'name');
    const g = { id: state.newId('group_'), name, created_at: state.now(), members: new Map<string, number>() };
    state.groups.set(g.id, g);
    state.audit('group.created', { id: g.id, data: { group_name: name } });
    return ok(groupView(g));
  },

  retrieveGroup: ({ state, path }) => ok(groupView(state.group(path.group_id))),

  updateGroup: ({ state, path, body }) => {
    const g = state.group(path.group_id);
    const name = checkName(body.name);
    // Names are unique on create, so a rename may not make two groups share one either (it did: an org file
    // exported after such a rename listed the name twice, and plan refused the file export had just written).
    if ([...state.groups.values()].some((x) => x.id !== g.id && x.name === name))
      throw conflict(`A group named '${name}' already exists.`, 'name');
    g.name = name;
    state.audit('group.updated', { id: g.id, changes_requested: { group_name: g.name } });
    return ok({ id: g.id, name: g.name, created_at: g.created_at, is_scim_managed: false });
  },

  deleteGroup: ({ state, path }) => {
    const g = state.group(path.group_id);
    state.groups.delete(g.id);
    for (const p of state.projects.values()) p.groups.delete(g.id);
    state.dropAssignments((a) => a.principalType === 'group' && a.principalId === g.id);
    state.audit('group.deleted', { id: g.id });
    return ok({ object: 'group.deleted', id: g.id, deleted: true });
  },

  listGroupUsers: ({ state, path, query }) => {
    const g = state.group(path.group_id);
    const items = [...g.members.keys()].flatMap((id) => state.users.get(id) ?? []);
    return ok(nextList(items, query, (u) => ({ id: u.id, name: u.name, email: u.email })));
  },

  addGroupUser: ({ state, path, body }) => {
    const g = state.group(path.group_id);
    const u = state.users.get(body.user_id);
    if (!u) throw badRequest(`Invalid 'user_id': no user '${String(body.user_id)}' in this organization.`, 'user_id');
    if (g.members.has(u.id)) throw conflict(`User '${u.id}' is already in group '${g.id}'.`, 'user_id');
    g.members.set(u.id, state.now());
    state.audit('tenant.group.member.added', { id: g.id, user_id: u.id });
    return ok({ object: 'group.user', user_id: u.id, group_id: g.id });
  },

  retrieveGroupUser: ({ state, path }) => {
    const g = state.group(path.group_id);
    const u = g.members.has(path.user_id) ? state.users.get(path.user_id) : undefined;
    if (!u) throw notFound('user in this group', path.user_id, 'user_id');
    return ok({ id: u.id, name: u.name, email: u.email, picture: null, is_service_account: false, user_type: 'user' });
  },

  removeGroupUser: ({ state, path }) => {
    const g = state.group(path.group_id);
    if (!g.members.delete(path.user_id)) throw notFound('user in this group', path.user_id, 'user_id');
    state.audit('tenant.group.member.removed', { id: g.id, user_id: path.user_id });
    return ok({ object: 'group.user.deleted', deleted: true });
  },

  listProjectGroups: ({ state, path, query }) => {
    const p = state.project(path.project_id);
    const items = [...p.groups.entries()].filter(([id]) => state.groups.has(id));
    return ok(
      nextList(
        items,
        query,
        ([id, m]) => projectGroupView(state, p.id, id, m.created_at),
        ([id]) => id,
        20,
      ),
    );
  },

  addProjectGroup: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const g = state.groups.get(body.group_id);
    if (!g) throw badRequest(`Invalid 'group_id': no group '${String(body.group_id)}'.`, 'group_id');
    if (p.groups.has(g.id)) throw conflict(`Group '${g.id}' is already in project '${p.id}'.`, 'group_id');
    const m = { role: body.role, created_at: state.now() };
    p.groups.set(g.id, m);
    state.auditAssignment('created', g.id, 'group', g.id, p.id);
    return ok(projectGroupView(state, p.id, g.id, m.created_at));
  },

  retrieveProjectGroup: ({ state, path }) => {
    const p = state.project(path.project_id);
    const m = p.groups.get(path.group_id);
    if (!m || !state.groups.has(path.group_id)) throw notFound('group in this project', path.group_id, 'group_id');
    return ok(projectGroupView(state, p.id, path.group_id, m.created_at));
  },

  removeProjectGroup: ({ state, path }) => {
    const p = state.activeProject(path.project_id);
    if (!p.groups.delete(path.group_id)) throw notFound('group in this project', path.group_id, 'group_id');
    state.auditAssignment('deleted', path.group_id, 'group', path.group_id, p.id);
    return ok({ object: 'project.group.deleted', deleted: true });
  },
};

function projectGroupView(state: EmulatorState, projectId: string, groupId: string, createdAt: number) {
  const g = state.groups.get(groupId)!;
  return {
    object: 'project.group',
    project_id: projectId,
    group_id: g.id,
    group_name: g.name,
    group_type: 'group',
    created_at: createdAt,
  };
}
