import type * as T from '../../../generated/client/types.gen.js';
import { badRequest, notFound } from '../errors.js';
import { cursorList } from '../pagination.js';
import { newProjectRecord } from '../seed.js';
import { projectView, spendLimitView } from '../views.js';
import { created, ok, type Handlers } from './types.js';

/** Projects and their per-project settings (retention, permissions, spend limit, rate limits). */
export const projectHandlers: Handlers<
  | 'listProjects'
  | 'createProject'
  | 'retrieveProject'
  | 'updateProject'
  | 'archiveProject'
  | 'retrieveProjectDataRetention'
  | 'updateProjectDataRetention'
  | 'retrieveProjectHostedToolPermissions'
  | 'updateProjectHostedToolPermissions'
  | 'retrieveProjectModelPermissions'
  | 'updateProjectModelPermissions'
  | 'deleteProjectModelPermissions'
  | 'retrieveProjectSpendLimit'
  | 'updateProjectSpendLimit'
  | 'deleteProjectSpendLimit'
  | 'listProjectRateLimits'
  | 'updateProjectRateLimit'
> = {
  listProjects: ({ state, query }) => {
    const items = [...state.projects.values()].filter((p) => query.include_archived === true || p.archived_at === null);
    return ok(cursorList(items, query, projectView));
  },

  createProject: ({ state, body }) => {
    if (!String(body.name).trim()) throw badRequest("Invalid 'name': must not be empty.", 'name');
    const p = newProjectRecord(state, body.name, state.now(), false);
    p.external_key_id = body.external_key_id ?? null;
    p.residency = body.residency ?? null;
    state.projects.set(p.id, p);
    state.audit('project.created', { id: p.id, data: { name: p.name, title: p.name } }, p.id);
    return created(projectView(p));
  },

  retrieveProject: ({ state, path }) => ok(projectView(state.project(path.project_id))),

  updateProject: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    if (body.name != null) p.name = body.name;
    if (body.external_key_id !== undefined) p.external_key_id = body.external_key_id;
    state.audit('project.updated', { id: p.id, changes_requested: { title: p.name } }, p.id);
    return ok(projectView(p));
  },

  // Idempotent on purpose: a client retrying a timed-out archive must not get an error.
  archiveProject: ({ state, path }) => {
    const p = state.project(path.project_id);
    if (p.archived_at === null) {
      p.archived_at = state.now();
      state.audit('project.archived', { id: p.id }, p.id);
    }
    return ok(projectView(p));
  },

  retrieveProjectDataRetention: ({ state, path }) =>
    ok({ object: 'project.data_retention', type: state.project(path.project_id).dataRetention }),

  updateProjectDataRetention: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    p.dataRetention = body.retention_type;
    state.audit('project.updated', { id: p.id, changes_requested: { data_retention: p.dataRetention } }, p.id);
    return ok({ object: 'project.data_retention', type: p.dataRetention });
  },

  retrieveProjectHostedToolPermissions: ({ state, path }) => ok(toolsView(state.project(path.project_id).hostedTools)),

  updateProjectHostedToolPermissions: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    for (const tool of Object.keys(p.hostedTools) as (keyof T.ProjectHostedToolPermissions)[]) {
      if (body[tool]) p.hostedTools[tool] = body[tool].enabled;
    }
    state.audit(
      'project.updated',
      { id: p.id, changes_requested: { hosted_tool_permissions: { ...p.hostedTools } } },
      p.id,
    );
    return ok(toolsView(p.hostedTools));
  },

  retrieveProjectModelPermissions: ({ state, path }) => ok(modelsView(state.project(path.project_id).modelPermissions)),

  updateProjectModelPermissions: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    p.modelPermissions = { mode: body.mode, model_ids: [...body.model_ids] };
    state.audit('project.updated', { id: p.id, changes_requested: { model_permissions: p.modelPermissions } }, p.id);
    return ok(modelsView(p.modelPermissions));
  },

  // Deleting restores the default (an empty deny list: every model allowed).
  deleteProjectModelPermissions: ({ state, path }) => {
    const p = state.activeProject(path.project_id);
    p.modelPermissions = { mode: 'deny_list', model_ids: [] };
    state.audit('project.updated', { id: p.id, changes_requested: { model_permissions: null } }, p.id);
    return ok({ object: 'project.model_permissions.deleted', deleted: true });
  },

  retrieveProjectSpendLimit: ({ state, path }) => {
    const p = state.project(path.project_id);
    if (!p.spendLimit) throw notFound('spend limit', p.id, 'project_id');
    return ok(p.spendLimit);
  },

  updateProjectSpendLimit: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    p.spendLimit = spendLimitView('project.spend_limit', body);
    state.audit('tenant.usage_limit.workspace.updated', { id: p.id, threshold_amount: body.threshold_amount }, p.id);
    return ok(p.spendLimit);
  },

  deleteProjectSpendLimit: ({ state, path }) => {
    const p = state.activeProject(path.project_id);
    if (!p.spendLimit) throw notFound('spend limit', p.id, 'project_id');
    p.spendLimit = null;
    state.audit('tenant.usage_limit.workspace.updated', { id: p.id, threshold_amount: null }, p.id);
    return ok({ object: 'project.spend_limit.deleted', deleted: true });
  },

  listProjectRateLimits: ({ state, path, query }) =>
    ok(cursorList(state.project(path.project_id).rateLimits, query, (r) => ({ ...r }), undefined, 100)),

  updateProjectRateLimit: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const r = p.rateLimits.find((x) => x.id === path.rate_limit_id);
    if (!r) throw notFound('rate limit', path.rate_limit_id, 'rate_limit_id');
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (k in r || k.startsWith('max_') || k.startsWith('batch_')) {
        if (typeof v !== 'number' || v < 0) throw badRequest(`Invalid '${k}': expected a non-negative integer.`, k);
        (r as unknown as Record<string, number>)[k] = v;
      }
    }
    state.audit('rate_limit.updated', { id: r.id, changes_requested: body }, p.id);
    return ok({ ...r });
  },
};

function toolsView(t: Record<keyof T.ProjectHostedToolPermissions, boolean>): T.ProjectHostedToolPermissions {
  return {
    file_search: { enabled: t.file_search },
    web_search: { enabled: t.web_search },
    image_generation: { enabled: t.image_generation },
    mcp: { enabled: t.mcp },
    code_interpreter: { enabled: t.code_interpreter },
  };
}

function modelsView(m: { mode: 'allow_list' | 'deny_list'; model_ids: string[] }): T.ProjectModelPermissions {
  return { object: 'project.model_permissions', mode: m.mode, model_ids: [...m.model_ids] };
}
