/**
 * A project's model permissions and hosted-tool permissions in an org file: reading, writing to the file,
 * planning, applying. Like spend-settings.ts, the shared modules call in here one line each.
 *
 * Both are settings every project has (there is no "none"): a project entry that leaves them out does not manage
 * them, and --prune never touches them. The way back to the default is to write it: `model_permissions:
 * { mode: deny_list, model_ids: [] }` (every model allowed), a tool `true`.
 *
 * - model permissions: updated whole (the API takes mode and model ids together); model ids compare as a set.
 * - hosted tools: the file says `web_search: false` where the API says `{ web_search: { enabled: false } }` (the
 *   one field of each tool, flattened); a tool left out is not managed, and an update sends only the tools that
 *   differ (the API takes any subset).
 */
import type { OpenAIAdmin } from '../client.js';
import type { LiveProject, OrgFileProject } from './model.js';
import type { AddChange, ChangeLike, PermissionsTarget, TargetLike } from './settings-types.js';

/** The hosted tools a project has a permission for (ProjectHostedToolPermissions). */
export const HOSTED_TOOLS = ['file_search', 'web_search', 'image_generation', 'mcp', 'code_interpreter'] as const;
export type HostedTool = (typeof HOSTED_TOOLS)[number];

export interface OrgFileModelPermissions {
  mode: 'allow_list' | 'deny_list';
  model_ids: string[];
}
export type OrgFileHostedTools = Partial<Record<HostedTool, boolean>>;

export type { PermissionsTarget };

export const PERMISSIONS_TYPES = ['model_permissions', 'hosted_tool_permissions'] as const;
export type PermissionsChangeType = (typeof PERMISSIONS_TYPES)[number];

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const idsOf = (ids: string[]) => [...new Set(ids)].sort(byText);

/**
 * Reads an active project's model and hosted-tool permissions into `project`.
 *
 * @example
 * ```ts
 * await readProjectPermissions(admin, project);
 * ```
 */
export async function readProjectPermissions(admin: OpenAIAdmin, project: LiveProject): Promise<void> {
  const [models, tools] = await Promise.all([
    admin.projects.modelPermissions.retrieve(project.id),
    admin.projects.hostedToolPermissions.retrieve(project.id),
  ]);
  project.modelPermissions = { mode: models.mode, model_ids: idsOf(models.model_ids) };
  project.hostedTools = Object.fromEntries(
    HOSTED_TOOLS.flatMap((t) => (tools[t] ? [[t, tools[t].enabled] as const] : [])),
  );
}

/**
 * A live project's permissions as file fields (those that were read). Pure.
 *
 * @example
 * ```ts
 * Object.assign(entry, permissionsToFile(liveProject));
 * ```
 */
export function permissionsToFile(l: LiveProject): Pick<OrgFileProject, 'model_permissions' | 'hosted_tools'> {
  return {
    ...(l.modelPermissions
      ? {
          model_permissions: {
            mode: l.modelPermissions.mode as OrgFileModelPermissions['mode'],
            model_ids: [...l.modelPermissions.model_ids],
          },
        }
      : {}),
    ...(l.hostedTools ? { hosted_tools: { ...l.hostedTools } } : {}),
  };
}

type Add = AddChange<PermissionsChangeType>;

/**
 * The changes to a project's permissions; `l` is null for a project this plan creates (its permissions are then
 * sent as the file gives them, the API's defaults being unknown until it exists). Pure.
 *
 * @example
 * ```ts
 * planProjectPermissions(p, l, base, 'project "Research"', { add, count });
 * ```
 */
export function planProjectPermissions(
  p: OrgFileProject,
  l: LiveProject | null,
  base: TargetLike,
  label: string,
  cx: { add: Add; count: () => void },
): void {
  const later = l ? undefined : 'set once the project exists';
  if (p.model_permissions) {
    const wanted = { mode: p.model_permissions.mode, model_ids: idsOf(p.model_permissions.model_ids) };
    const live = l?.modelPermissions;
    const fields: ChangeLike['fields'] = {};
    if (live?.mode !== wanted.mode) fields.mode = { old: live?.mode ?? null, new: wanted.mode };
    if (JSON.stringify(live?.model_ids) !== JSON.stringify(wanted.model_ids))
      fields.model_ids = { old: live?.model_ids ?? null, new: wanted.model_ids };
    if (Object.keys(fields).length)
      cx.add({
        action: 'update',
        type: 'model_permissions',
        key: `${label} › model permissions`,
        meaning: later ?? 'replace the model permissions (the API takes mode and models together)',
        fields,
        before: live ?? null,
        target: { ...base, access: { models: wanted } },
      });
    else cx.count();
  }
  if (p.hosted_tools) {
    const fields: ChangeLike['fields'] = {};
    const tools: OrgFileHostedTools = {};
    for (const t of HOSTED_TOOLS) {
      const want = p.hosted_tools[t];
      const live = l?.hostedTools?.[t];
      if (want !== undefined && want !== live) {
        fields[t] = { old: live ?? null, new: want };
        tools[t] = want;
      }
    }
    if (Object.keys(fields).length)
      cx.add({
        action: 'update',
        type: 'hosted_tool_permissions',
        key: `${label} › hosted tools`,
        meaning: later,
        fields,
        before: l?.hostedTools ?? null,
        target: { ...base, access: { tools } },
      });
    else cx.count();
  }
}

/** Whether a change is one of this module's (apply hands those to {@link applyPermissionsChange}). */
export const isPermissionsChange = (c: ChangeLike): boolean =>
  (PERMISSIONS_TYPES as readonly string[]).includes(c.type);

/**
 * Carries out one permissions change on the project `projectId()` resolves (created earlier in the run, perhaps):
 * the models whole, the tools that differ only.
 *
 * @example
 * ```ts
 * if (isPermissionsChange(c)) return applyPermissionsChange(admin, c, () => this.project(c));
 * ```
 */
export async function applyPermissionsChange(
  admin: OpenAIAdmin,
  c: ChangeLike,
  projectId: () => string,
): Promise<void> {
  const s = c.target.access ?? {};
  if (c.type === 'model_permissions' && s.models)
    return void (await admin.projects.modelPermissions.update(projectId(), s.models));
  if (c.type === 'hosted_tool_permissions' && s.tools)
    return void (await admin.projects.hostedToolPermissions.update(
      projectId(),
      Object.fromEntries(Object.entries(s.tools).map(([t, enabled]) => [t, { enabled }])),
    ));
  throw new Error(`${c.key}: apply does not know how to ${c.action} a ${c.type}`);
}
