import { badRequest, conflict } from '../errors.js';
import { cursorList } from '../pagination.js';
import { addProjectKey } from '../seed.js';
import { found, isExpired, type EmulatorState } from '../store.js';
import { projectKeyView, projectUserView, serviceAccountView } from '../views.js';
import { created, ok, type Handlers } from './types.js';

const PROJECT_ROLES = ['owner', 'member'];

function checkRole(role: unknown): string {
  if (typeof role !== 'string' || !PROJECT_ROLES.includes(role)) {
    throw badRequest(
      `Invalid 'role': expected one of 'owner', 'member', got '${String(role)}'.`,
      'role',
      'invalid_value',
    );
  }
  return role;
}

const serviceAccount = (state: EmulatorState, projectId: string, id: string) =>
  found(state.serviceAccounts, id, 'service account', 'service_account_id', (s) => s.projectId === projectId);

// An expired key is "not found", as a deleted one: it no longer works, so the API no longer shows it.
const apiKey = (state: EmulatorState, projectId: string, id: string) =>
  found(state.projectKeys, id, 'API key', 'api_key_id', (k) => k.projectId === projectId && !isExpired(k, state.now()));

/** `expires_in_seconds` (validated ≥ 1 or null by the spec) as the key's expiry. */
const expiryOf = (state: EmulatorState, seconds: unknown): number | null =>
  typeof seconds === 'number' ? state.now() + seconds : null;

/** Makes a service-account key; the full value is returned to the caller once and never stored. */
function issueServiceAccountKey(
  state: EmulatorState,
  projectId: string,
  saId: string,
  name: string,
  expiresAt: number | null,
) {
  const createdAt = state.now();
  const { record, value } = addProjectKey(state, {
    projectId,
    name,
    created_at: createdAt,
    last_used_at: null,
    expires_at: expiresAt,
    owner: { type: 'service_account', id: saId },
  });
  state.audit('api_key.created', { id: record.id, data: { scopes: ['/v1/*'] } }, projectId);
  return {
    object: 'organization.project.service_account.api_key' as const,
    value,
    name,
    created_at: createdAt,
    id: record.id,
    expires_at: record.expires_at,
  };
}

/** Project users, service accounts and the project's API keys. */
export const projectMemberHandlers: Handlers<
  | 'listProjectUsers'
  | 'createProjectUser'
  | 'retrieveProjectUser'
  | 'updateProjectUser'
  | 'deleteProjectUser'
  | 'listProjectServiceAccounts'
  | 'createProjectServiceAccount'
  | 'retrieveProjectServiceAccount'
  | 'updateProjectServiceAccount'
  | 'deleteProjectServiceAccount'
  | 'createProjectServiceAccountApiKey'
  | 'listProjectApiKeys'
  | 'retrieveProjectApiKey'
  | 'deleteProjectApiKey'
> = {
  listProjectUsers: ({ state, path, query }) => {
    const p = state.project(path.project_id);
    const items = [...p.users.entries()].filter(([id]) => state.users.has(id));
    return ok(
      cursorList(
        items,
        query,
        ([id, m]) => projectUserView(state.user(id), m),
        ([id]) => id,
      ),
    );
  },

  createProjectUser: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const role = checkRole(body.role);
    let user = body.user_id ? state.users.get(body.user_id) : undefined;
    if (!user && body.email) user = [...state.users.values()].find((u) => u.email === body.email);
    if (!user) {
      const what = body.user_id ?? body.email;
      if (!what) throw badRequest("Missing required parameter: 'user_id'.", 'user_id', 'missing_required_parameter');
      throw badRequest(
        `User '${what}' is not a member of the organization; invite them first.`,
        body.user_id ? 'user_id' : 'email',
      );
    }
    if (p.users.has(user.id)) throw conflict(`User '${user.id}' is already a member of project '${p.id}'.`, 'user_id');
    const m = { role, added_at: state.now() };
    p.users.set(user.id, m);
    state.audit('user.added', { id: user.id, data: { role } }, p.id);
    return created(projectUserView(user, m));
  },

  retrieveProjectUser: ({ state, path }) => {
    const { user, m } = state.projectMember(state.project(path.project_id), path.user_id);
    return ok(projectUserView(user, m));
  },

  updateProjectUser: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const { user, m } = state.projectMember(p, path.user_id);
    if (body.role != null) m.role = checkRole(body.role);
    state.audit('user.updated', { id: user.id, changes_requested: { role: m.role } }, p.id);
    return ok(projectUserView(user, m));
  },

  deleteProjectUser: ({ state, path }) => {
    const p = state.activeProject(path.project_id);
    state.projectMember(p, path.user_id);
    p.users.delete(path.user_id);
    state.audit('user.deleted', { id: path.user_id }, p.id);
    return ok({ object: 'organization.project.user.deleted', id: path.user_id, deleted: true });
  },

  listProjectServiceAccounts: ({ state, path, query }) => {
    state.project(path.project_id);
    const items = [...state.serviceAccounts.values()].filter((s) => s.projectId === path.project_id);
    return ok(cursorList(items, query, serviceAccountView));
  },

  createProjectServiceAccount: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    if (!String(body.name).trim()) throw badRequest("Invalid 'name': must not be empty.", 'name');
    const s = {
      id: state.newId('svc_acct_'),
      projectId: p.id,
      name: body.name,
      role: 'member' as const,
      created_at: state.now(),
    };
    state.serviceAccounts.set(s.id, s);
    state.audit('service_account.created', { id: s.id, data: { role: s.role } }, p.id);
    // expires_in_seconds with create_service_account_only: true is refused by the request schema (a 400) before this.
    const apiKey = body.create_service_account_only
      ? null
      : issueServiceAccountKey(state, p.id, s.id, 'Secret Key', expiryOf(state, body.expires_in_seconds));
    return created({ ...serviceAccountView(s), api_key: apiKey });
  },

  retrieveProjectServiceAccount: ({ state, path }) =>
    ok(serviceAccountView(serviceAccount(state, state.project(path.project_id).id, path.service_account_id))),

  updateProjectServiceAccount: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const s = serviceAccount(state, p.id, path.service_account_id);
    if (body.name !== undefined) s.name = body.name;
    if (body.role !== undefined) s.role = checkRole(body.role) as 'owner' | 'member';
    state.audit('service_account.updated', { id: s.id, changes_requested: { role: s.role } }, p.id);
    return ok(serviceAccountView(s));
  },

  deleteProjectServiceAccount: ({ state, path }) => {
    const p = state.activeProject(path.project_id);
    const s = serviceAccount(state, p.id, path.service_account_id);
    state.serviceAccounts.delete(s.id);
    // Its keys die with it, as upstream.
    for (const k of state.projectKeys.values()) {
      if (k.owner.type === 'service_account' && k.owner.id === s.id) state.projectKeys.delete(k.id);
    }
    state.audit('service_account.deleted', { id: s.id }, p.id);
    return ok({ object: 'organization.project.service_account.deleted', id: s.id, deleted: true });
  },

  createProjectServiceAccountApiKey: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const s = serviceAccount(state, p.id, path.service_account_id);
    const name = typeof body?.name === 'string' && body.name ? body.name : 'Secret Key';
    return ok(issueServiceAccountKey(state, p.id, s.id, name, expiryOf(state, body?.expires_in_seconds)));
  },

  listProjectApiKeys: ({ state, path, query }) => {
    state.project(path.project_id);
    const wanted = query.owner_project_access ?? 'active';
    const now = state.now();
    const items = [...state.projectKeys.values()]
      .filter((k) => k.projectId === path.project_id && !isExpired(k, now))
      .map((k) => projectKeyView(state, k))
      .filter((k) => wanted === 'any' || k.owner_project_access === wanted);
    return ok(cursorList(items, query, (k) => k));
  },

  retrieveProjectApiKey: ({ state, path }) => {
    state.project(path.project_id);
    return ok(projectKeyView(state, apiKey(state, path.project_id, path.api_key_id)));
  },

  deleteProjectApiKey: ({ state, path }) => {
    const p = state.activeProject(path.project_id);
    const k = apiKey(state, p.id, path.api_key_id);
    // Service-account keys can be deleted here too: that is how a key rotation retires the old key.
    state.projectKeys.delete(k.id);
    state.audit('api_key.deleted', { id: k.id }, p.id);
    return ok({ object: 'organization.project.api_key.deleted', id: k.id, deleted: true });
  },
};
