import { badRequest, conflict, notFound } from '../errors.js';
import { nextList } from '../pagination.js';
import type { EmulatorState, RoleAssignmentRecord, RoleRecord } from '../store.js';
import { assignedRoleView, groupRefView, roleView, userView } from '../views.js';
import { ok, type Handlers } from './types.js';

/** Roles visible in a scope: org roles, or the predefined project roles plus that project's custom ones. */
function rolesIn(state: EmulatorState, projectId: string | null): RoleRecord[] {
  return [...state.roles.values()].filter((r) =>
    projectId === null
      ? r.resource_type === 'api.organization'
      : r.resource_type === 'api.project' && (r.projectId === null || r.projectId === projectId),
  );
}

function role(state: EmulatorState, projectId: string | null, id: string, param = 'role_id'): RoleRecord {
  const r = rolesIn(state, projectId).find((x) => x.id === id);
  if (!r) throw notFound('role', id, param);
  return r;
}

function createRole(
  state: EmulatorState,
  projectId: string | null,
  body: { role_name: string; permissions: string[]; description?: string | null },
) {
  if (!body.role_name.trim()) throw badRequest("Invalid 'role_name': must not be empty.", 'role_name');
  if (rolesIn(state, projectId).some((r) => r.name === body.role_name))
    throw conflict(`A role named '${body.role_name}' already exists.`, 'role_name');
  const now = state.now();
  const r: RoleRecord = {
    id: state.newId('role_'),
    name: body.role_name,
    description: body.description ?? null,
    permissions: [...body.permissions],
    resource_type: projectId === null ? 'api.organization' : 'api.project',
    predefined: false,
    projectId,
    created_at: now,
    updated_at: now,
  };
  state.roles.set(r.id, r);
  state.audit(
    'role.created',
    {
      id: r.id,
      role_name: r.name,
      permissions: r.permissions,
      resource_type: r.resource_type,
      resource_id: projectId ?? 'org',
    },
    projectId ?? undefined,
  );
  return r;
}

function updateRole(
  state: EmulatorState,
  projectId: string | null,
  id: string,
  body: { role_name?: string | null; permissions?: string[] | null; description?: string | null },
) {
  const r = role(state, projectId, id);
  if (r.predefined) throw badRequest(`Role '${r.name}' is predefined and cannot be changed.`, 'role_id');
  const before = new Set(r.permissions);
  // Names are unique within a scope on create; a rename keeps them so (roles are keyed by name in org files).
  if (body.role_name != null && rolesIn(state, projectId).some((x) => x.id !== r.id && x.name === body.role_name))
    throw conflict(`A role named '${body.role_name}' already exists.`, 'role_name');
  if (body.role_name != null) r.name = body.role_name;
  if (body.permissions != null) r.permissions = [...body.permissions];
  if (body.description !== undefined) r.description = body.description;
  r.updated_at = state.now();
  state.audit(
    'role.updated',
    {
      id: r.id,
      changes_requested: {
        role_name: r.name,
        permissions_added: r.permissions.filter((p) => !before.has(p)),
        permissions_removed: [...before].filter((p) => !r.permissions.includes(p)),
      },
    },
    projectId ?? undefined,
  );
  return r;
}

function deleteRole(state: EmulatorState, projectId: string | null, id: string) {
  const r = role(state, projectId, id);
  if (r.predefined) throw badRequest(`Role '${r.name}' is predefined and cannot be deleted.`, 'role_id');
  state.roles.delete(r.id);
  state.dropAssignments((a) => a.roleId === r.id);
  state.audit('role.deleted', { id: r.id }, projectId ?? undefined);
  return { object: 'role.deleted', id: r.id, deleted: true };
}

const key = (scope: string, type: string, principal: string, roleId: string) =>
  `${scope}|${type}|${principal}|${roleId}`;

function assignments(
  state: EmulatorState,
  scope: string,
  type: 'user' | 'group',
  principal: string,
): [RoleRecord, RoleAssignmentRecord][] {
  return [...state.roleAssignments.values()]
    .filter((a) => a.scope === scope && a.principalType === type && a.principalId === principal)
    .flatMap((a) => {
      const r = state.roles.get(a.roleId);
      return r ? [[r, a] as [RoleRecord, RoleAssignmentRecord]] : [];
    });
}

function assign(state: EmulatorState, scope: string, type: 'user' | 'group', principal: string, r: RoleRecord) {
  const k = key(scope, type, principal, r.id);
  if (state.roleAssignments.has(k))
    throw conflict(`Role '${r.id}' is already assigned to ${type} '${principal}'.`, 'role_id');
  state.roleAssignments.set(k, {
    scope,
    principalType: type,
    principalId: principal,
    roleId: r.id,
    created_at: state.now(),
  });
  state.auditAssignment('created', r.id, type, principal, scope);
}

function assigned(state: EmulatorState, scope: string, type: 'user' | 'group', principal: string, roleId: string) {
  const a = state.roleAssignments.get(key(scope, type, principal, roleId));
  const r = a && state.roles.get(roleId);
  if (!a || !r) throw notFound(`role assigned to this ${type}`, roleId, 'role_id');
  return { a, r };
}

function unassign(state: EmulatorState, scope: string, type: 'user' | 'group', principal: string, roleId: string) {
  assigned(state, scope, type, principal, roleId);
  state.roleAssignments.delete(key(scope, type, principal, roleId));
  state.auditAssignment('deleted', roleId, type, principal, scope);
  return { object: `${type}.role.deleted`, deleted: true };
}

const listAssigned = (rows: [RoleRecord, RoleAssignmentRecord][], query: Record<string, unknown>) =>
  nextList(
    rows,
    query,
    ([r, a]) => assignedRoleView(r, a),
    ([r]) => r.id,
  );

/** Org and project roles, and their assignments to users and groups. */
export const roleHandlers: Handlers<
  | 'listRoles'
  | 'createRole'
  | 'retrieveRole'
  | 'updateRole'
  | 'deleteRole'
  | 'listProjectRoles'
  | 'createProjectRole'
  | 'retrieveProjectRole'
  | 'updateProjectRole'
  | 'deleteProjectRole'
  | 'listUserRoleAssignments'
  | 'assignUserRole'
  | 'retrieveUserRole'
  | 'unassignUserRole'
  | 'listGroupRoleAssignments'
  | 'assignGroupRole'
  | 'retrieveGroupRole'
  | 'unassignGroupRole'
  | 'listProjectUserRoleAssignments'
  | 'assignProjectUserRole'
  | 'retrieveProjectUserRole'
  | 'unassignProjectUserRole'
  | 'listProjectGroupRoleAssignments'
  | 'assignProjectGroupRole'
  | 'retrieveProjectGroupRole'
  | 'unassignProjectGroupRole'
> = {
  listRoles: ({ state, query }) => ok(nextList(rolesIn(state, null), query, roleView)),
  createRole: ({ state, body }) => ok(roleView(createRole(state, null, body))),
  retrieveRole: ({ state, path }) => ok(roleView(role(state, null, path.role_id))),
  updateRole: ({ state, path, body }) => ok(roleView(updateRole(state, null, path.role_id, body))),
  deleteRole: ({ state, path }) => ok(deleteRole(state, null, path.role_id)),

  listProjectRoles: ({ state, path, query }) =>
    ok(nextList(rolesIn(state, state.project(path.project_id).id), query, roleView)),
  createProjectRole: ({ state, path, body }) =>
    ok(roleView(createRole(state, state.activeProject(path.project_id).id, body))),
  retrieveProjectRole: ({ state, path }) => ok(roleView(role(state, state.project(path.project_id).id, path.role_id))),
  updateProjectRole: ({ state, path, body }) =>
    ok(roleView(updateRole(state, state.activeProject(path.project_id).id, path.role_id, body))),
  deleteProjectRole: ({ state, path }) => ok(deleteRole(state, state.activeProject(path.project_id).id, path.role_id)),

  listUserRoleAssignments: ({ state, path, query }) =>
    ok(listAssigned(assignments(state, 'org', 'user', state.user(path.user_id).id), query)),
  assignUserRole: ({ state, path, body }) => {
    const u = state.user(path.user_id);
    const r = role(state, null, body.role_id);
    assign(state, 'org', 'user', u.id, r);
    return ok({ object: 'user.role', user: userView(u), role: roleView(r) });
  },
  retrieveUserRole: ({ state, path }) => {
    const { a, r } = assigned(state, 'org', 'user', state.user(path.user_id).id, path.role_id);
    return ok(assignedRoleView(r, a));
  },
  unassignUserRole: ({ state, path }) => ok(unassign(state, 'org', 'user', state.user(path.user_id).id, path.role_id)),

  listGroupRoleAssignments: ({ state, path, query }) =>
    ok(listAssigned(assignments(state, 'org', 'group', state.group(path.group_id).id), query)),
  assignGroupRole: ({ state, path, body }) => {
    const g = state.group(path.group_id);
    const r = role(state, null, body.role_id);
    assign(state, 'org', 'group', g.id, r);
    return ok({ object: 'group.role', group: groupRefView(g), role: roleView(r) });
  },
  retrieveGroupRole: ({ state, path }) => {
    const { a, r } = assigned(state, 'org', 'group', state.group(path.group_id).id, path.role_id);
    return ok(assignedRoleView(r, a));
  },
  unassignGroupRole: ({ state, path }) =>
    ok(unassign(state, 'org', 'group', state.group(path.group_id).id, path.role_id)),

  listProjectUserRoleAssignments: ({ state, path, query }) => {
    const { user } = state.projectMember(state.project(path.project_id), path.user_id);
    return ok(listAssigned(assignments(state, path.project_id, 'user', user.id), query));
  },
  assignProjectUserRole: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const u = state.projectMember(p, path.user_id).user;
    const r = role(state, p.id, body.role_id);
    assign(state, p.id, 'user', u.id, r);
    return ok({ object: 'user.role', user: userView(u), role: roleView(r) });
  },
  retrieveProjectUserRole: ({ state, path }) => {
    const { user } = state.projectMember(state.project(path.project_id), path.user_id);
    const { a, r } = assigned(state, path.project_id, 'user', user.id, path.role_id);
    return ok(assignedRoleView(r, a));
  },
  unassignProjectUserRole: ({ state, path }) => {
    const p = state.activeProject(path.project_id);
    return ok(unassign(state, p.id, 'user', state.projectMember(p, path.user_id).user.id, path.role_id));
  },

  listProjectGroupRoleAssignments: ({ state, path, query }) => {
    state.project(path.project_id);
    return ok(listAssigned(assignments(state, path.project_id, 'group', state.group(path.group_id).id), query));
  },
  assignProjectGroupRole: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const g = state.group(path.group_id);
    const r = role(state, p.id, body.role_id);
    assign(state, p.id, 'group', g.id, r);
    return ok({ object: 'group.role', group: groupRefView(g), role: roleView(r) });
  },
  retrieveProjectGroupRole: ({ state, path }) => {
    state.project(path.project_id);
    const { a, r } = assigned(state, path.project_id, 'group', state.group(path.group_id).id, path.role_id);
    return ok(assignedRoleView(r, a));
  },
  unassignProjectGroupRole: ({ state, path }) => {
    const p = state.activeProject(path.project_id);
    return ok(unassign(state, p.id, 'group', state.group(path.group_id).id, path.role_id));
  },
};
