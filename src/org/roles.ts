/**
 * Custom roles and role assignments in org files, organisation and project level: four sections of their own.
 *
 * ```yaml
 * roles:                      # organisation custom roles, by name
 *   - { name: Auditor, permissions: [api.organization.read], description: Reads everything }
 * role_assignments:           # organisation roles given to users (by email) or groups (by name)
 *   - { role: Auditor, user: ada@example.com }
 *   - { role: Auditor, group: Security }
 * project_roles:              # project custom roles, by project and name
 *   - { project: Production, name: Deployer, permissions: [api.project.deploy] }
 * project_role_assignments:   # project roles given to the project's users or groups
 *   - { project: Production, role: Deployer, group: Platform }
 * ```
 *
 * Predefined roles (the API marks them `predefined_role: true`) are OpenAI's: never exported under `roles` or
 * `project_roles`, never created, changed or deleted; a file that defines one is refused. Assignments may name them.
 * A project is named as elsewhere in the file: by name, or by id when several projects share the name.
 * With --prune: a custom role the section does not list is deleted (its assignments go with it); an assignment the
 * section does not list is removed (the role and the person stay).
 */
import type { OpenAIAdmin } from '../client.js';
import { ConflictError, NotFoundError } from '../index.js';
import type { LiveOrg, LiveProject, OrgFile } from './model.js';
import {
  ROLE_CHANGE_TYPES,
  type LiveAssignment,
  type LiveRole,
  type LiveRoles,
  type OrgFileProjectRoleAssignment,
  type OrgFileRole,
  type OrgFileRoleAssignment,
  type RoleChangeInput,
  type RoleChangeLike,
  type RoleSection,
  type RoleTarget,
} from './roles-model.js';
import { closest } from './suggest.js';
import { collect } from './collect.js';

export * from './roles-model.js';

/** An issue found in the file (validate.ts's OrgFileIssue). */
type Issue = { path: Array<string | number>; message: string };

const PAGE = { limit: 100 } as const;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const asRole = (r: {
  id: string;
  name?: string;
  permissions?: string[];
  description?: string | null;
  predefined_role?: boolean;
}): LiveRole => ({
  id: r.id,
  name: r.name ?? '',
  permissions: [...(r.permissions ?? [])].sort(byText),
  description: r.description ?? null,
  predefined: r.predefined_role === true,
});

/**
 * Reads the roles and assignments the chosen role sections need (the rest of the organisation comes from
 * `live`: users always, groups and projects when their sections were read, else listed here). Read-only.
 *
 * @example
 * ```ts
 * const live = await readOrg(admin, { only: ['roles', 'role_assignments'] }); // calls readRoles
 * console.log(live.roles?.org.filter((r) => !r.predefined).map((r) => r.name));
 * ```
 */
export async function readRoles(
  admin: OpenAIAdmin,
  live: LiveOrg,
  sections: readonly string[],
  pool: <T, R>(items: T[], run: (t: T) => Promise<R>) => Promise<R[]>,
): Promise<LiveRoles> {
  const wants = (s: RoleSection) => sections.includes(s);
  const out: LiveRoles = { org: [], orgAssignments: [], groups: [], projects: [] };
  const emailOf = new Map(live.users.map((u) => [u.id, u.email]));
  const groups =
    live.groups.length || sections.includes('groups')
      ? live.groups.map((g) => ({ id: g.id, name: g.name }))
      : (await collect(admin.groups.list(PAGE), 'groups')).map((g) => ({ id: g.id, name: g.name }));
  out.groups = groups;
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const assignmentsOf = async (
    principal: 'user' | 'group',
    principalId: string,
    who: string,
    list: { toArray(options: { max: number }): Promise<Array<{ id: string; name?: string }>> },
  ) =>
    (await collect(list, `${principal} ${who}'s roles`)).map((r) => ({
      principal,
      principalId,
      who,
      roleId: r.id,
      role: r.name ?? '',
    }));
  if (wants('roles') || wants('role_assignments'))
    out.org = (await collect(admin.roles.list(PAGE), 'roles')).map(asRole);
  if (wants('role_assignments')) {
    const users = await pool(live.users, (u) =>
      assignmentsOf('user', u.id, u.email, admin.users.roles.list(u.id, PAGE)),
    );
    const byGroup = await pool(groups, (g) =>
      assignmentsOf('group', g.id, g.name, admin.groups.roles.list(g.id, PAGE)),
    );
    out.orgAssignments = [...users.flat(), ...byGroup.flat()];
  }
  if (wants('project_roles') || wants('project_role_assignments')) {
    const projects: Array<Pick<LiveProject, 'id' | 'name' | 'archived'> & Partial<LiveProject>> = sections.includes(
      'projects',
    )
      ? live.projects
      : (await collect(admin.projects.list({ ...PAGE, include_archived: true }), 'projects')).map((p) => ({
          id: p.id,
          name: p.name ?? '',
          archived: (p.archived_at ?? null) !== null || p.status === 'archived',
        }));
    out.projects = await pool(projects, async (p) => {
      const entry: LiveRoles['projects'][number] = {
        id: p.id,
        name: p.name,
        archived: p.archived,
        roles: [],
        assignments: [],
        users: [],
        groupIds: [],
      };
      // An archived project's roles cannot change: nothing to read.
      if (p.archived) return entry;
      entry.roles = (await collect(admin.projects.roles.list(p.id, PAGE), `project ${p.id}'s roles`)).map(asRole);
      if (!wants('project_role_assignments')) return entry;
      entry.users = p.users
        ? p.users.map((u) => ({ id: u.id, email: u.email }))
        : (await collect(admin.projects.users.list(p.id, PAGE), `project ${p.id}'s users`)).flatMap((u) => {
            const email = u.email?.toLowerCase() ?? emailOf.get(u.id);
            return email ? [{ id: u.id, email }] : [];
          });
      entry.groupIds = p.groups
        ? p.groups.map((g) => g.id)
        : (await collect(admin.projects.groups.list(p.id, PAGE), `project ${p.id}'s groups`)).map((g) => g.group_id);
      for (const u of entry.users)
        entry.assignments.push(
          ...(await assignmentsOf('user', u.id, u.email, admin.projects.users.roles.list(p.id, u.id, PAGE))),
        );
      for (const id of entry.groupIds) {
        const name = groupName.get(id);
        if (name !== undefined)
          entry.assignments.push(
            ...(await assignmentsOf('group', id, name, admin.projects.groups.roles.list(p.id, id, PAGE))),
          );
      }
      return entry;
    });
  }
  return out;
}

/** How the file names a project: by name, by id when another active project shares the name. */
function projectRefs(projects: LiveRoles['projects']): (id: string) => string {
  const count = new Map<string, number>();
  for (const p of projects) if (!p.archived) count.set(p.name, (count.get(p.name) ?? 0) + 1);
  const name = new Map(projects.map((p) => [p.id, p.name]));
  return (id) => ((count.get(name.get(id) ?? '') ?? 0) > 1 ? id : (name.get(id) ?? id));
}

const assignmentEntry = (a: LiveAssignment): OrgFileRoleAssignment =>
  a.principal === 'user' ? { role: a.role, user: a.who } : { role: a.role, group: a.who };
const assignmentOrder = (a: OrgFileRoleAssignment, b: OrgFileRoleAssignment) =>
  byText(a.role, b.role) ||
  byText(a.user ? 'u' : 'g', b.user ? 'u' : 'g') ||
  byText(a.user ?? a.group ?? '', b.user ?? b.group ?? '');
const roleEntry = (r: LiveRole): OrgFileRole => ({
  name: r.name,
  permissions: r.permissions,
  ...(r.description !== null ? { description: r.description } : {}),
});

/**
 * The role sections of an org file, from what readRoles read: custom roles only (predefined ones are OpenAI's),
 * sorted. Pure.
 *
 * @example
 * ```ts
 * Object.assign(file, rolesToFile(live));
 * ```
 */
export function rolesToFile(live: LiveOrg): Partial<OrgFile> {
  const roles = live.roles;
  if (!roles) return {};
  const wants = (s: RoleSection) => (live.sections as readonly string[]).includes(s);
  const out: Partial<OrgFile> = {};
  const ref = projectRefs(roles.projects);
  const active = roles.projects.filter((p) => !p.archived);
  if (wants('roles'))
    out.roles = roles.org
      .filter((r) => !r.predefined)
      .map(roleEntry)
      .sort((a, b) => byText(a.name, b.name));
  if (wants('role_assignments')) out.role_assignments = roles.orgAssignments.map(assignmentEntry).sort(assignmentOrder);
  if (wants('project_roles'))
    out.project_roles = active
      .flatMap((p) => p.roles.filter((r) => !r.predefined).map((r) => ({ project: ref(p.id), ...roleEntry(r) })))
      .sort((a, b) => byText(a.project, b.project) || byText(a.name, b.name));
  if (wants('project_role_assignments'))
    out.project_role_assignments = active
      .flatMap((p) => p.assignments.map((a) => ({ project: ref(p.id), ...assignmentEntry(a) })))
      .sort((a, b) => byText(a.project, b.project) || assignmentOrder(a, b));
  return out;
}

/** What planRoles needs from planOrg. */
export interface RolePlanContext {
  add: (c: RoleChangeInput) => void;
  problems: string[];
  notes: string[];
  prune: boolean;
  count: () => void;
  /** Where an email stands in the organisation (after the file's users and invites). */
  person: (email: string) => 'member' | 'invited' | 'unknown';
  userId: (email: string) => string | undefined;
  /** The project entry of the file for a project key, and the live project it matched (null: to be created). */
  /** False for a live project the plan archives (--prune of projects): its roles are left to go with it. */
  projectStays: (id: string) => boolean;
  fileProject: (key: string) => { live: LiveProject | null; entry: NonNullable<OrgFile['projects']>[number] } | null;
}

const sameSet = (a: string[], b: string[]) =>
  JSON.stringify([...a].sort(byText)) === JSON.stringify([...b].sort(byText));
const suggest = (input: string, candidates: Iterable<string>) => {
  const guess = closest(input, [...candidates]);
  return guess ? ` (did you mean '${guess}'?)` : '';
};

/**
 * Plans the role sections of `desired` against `live` (see the module comment). Pure: changes go to cx.add,
 * unresolved references to cx.problems.
 *
 * @example
 * ```ts
 * planRoles(desired, live, cx); // inside planOrg
 * ```
 */
export function planRoles(desired: OrgFile, live: LiveOrg, cx: RolePlanContext): void {
  const roles = live.roles ?? { org: [], orgAssignments: [], groups: [], projects: [] };
  const groups = new Map([...live.groups, ...roles.groups].map((g) => [g.name, g.id]));
  const fileGroups = new Set((desired.groups ?? []).map((g) => g.name));
  const groupExists = (name: string) => groups.has(name) || fileGroups.has(name);

  // --- organisation roles and assignments ---
  planRoleList(desired.roles, roles.org, 'role', 'role', {}, cx);
  const orgRoleNames = new Set([...roles.org.map((r) => r.name), ...(desired.roles ?? []).map((r) => r.name)]);
  if (desired.role_assignments)
    planAssignments(desired.role_assignments, roles.orgAssignments, 'role_assignment', 'assignment', {
      cx,
      base: {},
      roleKnown: (r) => orgRoleNames.has(r),
      roleNames: orgRoleNames,
      roleId: (r) => roles.org.find((x) => x.name === r)?.id,
      principal: (a, key) => {
        if (a.user) {
          const email = a.user.toLowerCase();
          const where = cx.person(email);
          if (where === 'member') return { userId: cx.userId(email), email };
          if (where === 'invited')
            cx.notes.push(`${key}: invited, the role is given once they accept (run apply again then)`);
          else
            cx.problems.push(
              `${key}: '${a.user}' is not in the organisation, and the file neither lists them under users nor invites them`,
            );
          return null;
        }
        if (!groupExists(a.group!)) {
          cx.problems.push(
            `${key}: no group '${a.group}' in the organisation or the file${suggest(a.group!, groups.keys())}`,
          );
          return null;
        }
        return { group: a.group, groupId: groups.get(a.group!) };
      },
    });

  // --- project roles and assignments ---
  if (!desired.project_roles && !desired.project_role_assignments) return;
  const liveProjects = roles.projects.filter((p) => !p.archived);
  /** A project reference: the file's entry (by its key), else the one active project with that id or name. */
  const resolve = (ref: string, where: string) => {
    const fromFile = cx.fileProject(ref);
    if (fromFile) {
      const l = fromFile.live ? liveProjects.find((p) => p.id === fromFile.live!.id) : undefined;
      return { key: ref, id: fromFile.live?.id, live: l, entry: fromFile.entry };
    }
    const byId = liveProjects.find((p) => p.id === ref);
    const named = byId ? [byId] : liveProjects.filter((p) => p.name === ref);
    if (named.length === 1) return { key: ref, id: named[0].id, live: named[0], entry: undefined };
    cx.problems.push(
      named.length
        ? `${where}: ${named.length} active projects are named '${ref}' (${named.map((p) => p.id).join(', ')}); name the project by its id`
        : `${where}: no project '${ref}' in the organisation or the file${suggest(
            ref,
            liveProjects.map((p) => p.name),
          )}`,
    );
    return null;
  };
  const refs = new Set([
    ...(desired.project_roles ?? []).map((r) => r.project),
    ...(desired.project_role_assignments ?? []).map((a) => a.project),
  ]);
  const resolved = new Map<string, NonNullable<ReturnType<typeof resolve>>>();
  for (const ref of [...refs].sort(byText)) {
    const r = resolve(ref, `project "${ref}"`);
    if (r) resolved.set(ref, r);
  }
  // With --prune, the sections cover every active project: one they do not name has no custom roles (and no
  // assignments) in the file, so its go, unless the plan archives the project anyway.
  if (cx.prune) {
    const refOf = projectRefs(roles.projects);
    const named = new Set([...resolved.values()].flatMap((p) => (p.id ? [p.id] : [])));
    for (const p of liveProjects)
      if (!named.has(p.id) && cx.projectStays(p.id))
        resolved.set(refOf(p.id), { key: refOf(p.id), id: p.id, live: p, entry: undefined });
  }
  const label = (ref: string) => `project "${ref}"`;
  if (desired.project_roles)
    for (const [ref, p] of resolved) {
      const wanted = desired.project_roles.filter((r) => r.project === ref);
      planRoleList(
        wanted,
        p.live?.roles ?? [],
        'project_role',
        `${label(ref)} › role`,
        { project: ref, projectId: p.id },
        cx,
      );
    }
  if (desired.project_role_assignments)
    for (const [ref, p] of resolved) {
      const wanted = desired.project_role_assignments.filter((a) => a.project === ref);
      if (!wanted.length && !cx.prune) continue;
      const projectRoles = new Set([
        ...(p.live?.roles ?? []).map((r) => r.name),
        ...(desired.project_roles ?? []).filter((r) => r.project === ref).map((r) => r.name),
        // A project still to be created has the predefined project roles every project has.
        ...liveProjects.flatMap((x) => x.roles.filter((r) => r.predefined).map((r) => r.name)),
      ]);
      const members = new Set([
        ...(p.live?.users ?? []).map((u) => u.email),
        ...(p.entry?.users ?? []).map((u) => u.email.toLowerCase()),
      ]);
      const projectGroups = new Set([
        ...(p.live?.groupIds ?? []).flatMap((id) => [...groups].filter(([, gid]) => gid === id).map(([n]) => n)),
        ...(p.entry?.groups ?? []).map((g) => g.group),
      ]);
      planAssignments(wanted, p.live?.assignments ?? [], 'project_role_assignment', `${label(ref)} › assignment`, {
        cx,
        base: { project: ref, projectId: p.id },
        roleKnown: (r) => projectRoles.has(r),
        roleNames: projectRoles,
        roleId: (r) => p.live?.roles.find((x) => x.name === r)?.id,
        principal: (a, key) => {
          if (a.user) {
            const email = a.user.toLowerCase();
            if (!members.has(email)) {
              cx.problems.push(
                `${key}: '${a.user}' is not a member of the project (list them under the project's users)`,
              );
              return null;
            }
            if (cx.person(email) !== 'member') {
              cx.notes.push(`${key}: invited, the role is given once they accept (run apply again then)`);
              return null;
            }
            return { userId: cx.userId(email), email };
          }
          if (!projectGroups.has(a.group!)) {
            cx.problems.push(
              `${key}: group '${a.group}' has no access to the project (list it under the project's groups)${suggest(a.group!, projectGroups)}`,
            );
            return null;
          }
          return { group: a.group, groupId: groups.get(a.group!) };
        },
      });
    }
}

function planRoleList(
  wanted: OrgFileRole[] | undefined,
  live: LiveRole[],
  type: 'role' | 'project_role',
  label: string,
  base: RoleTarget,
  cx: RolePlanContext,
): void {
  if (!wanted) return;
  const byName = new Map(live.map((r) => [r.name, r]));
  for (const r of wanted) {
    const key = `${label} "${r.name}"`;
    const l = byName.get(r.name);
    const target = { ...base, roleName: r.name, permissions: r.permissions, description: r.description };
    if (l?.predefined) {
      cx.problems.push(
        `${key}: a predefined role (OpenAI's): it cannot be defined or changed; leave it out (assignments may name it)`,
      );
      continue;
    }
    if (!l) {
      cx.add({
        action: 'create',
        type,
        key,
        fields: {
          permissions: { old: null, new: [...r.permissions].sort(byText) },
          ...(r.description != null ? { description: { old: null, new: r.description } } : {}),
        },
        before: null,
        target,
      });
      continue;
    }
    const fields: NonNullable<RoleChangeInput['fields']> = {};
    if (!sameSet(l.permissions, r.permissions))
      fields.permissions = { old: l.permissions, new: [...r.permissions].sort(byText) };
    if (r.description !== undefined && (r.description ?? null) !== l.description)
      fields.description = { old: l.description, new: r.description ?? null };
    if (Object.keys(fields).length)
      cx.add({ action: 'update', type, key, fields, before: l, target: { ...target, roleId: l.id } });
    else cx.count();
  }
  if (cx.prune)
    for (const l of live)
      if (!l.predefined && !wanted.some((r) => r.name === l.name))
        cx.add({
          action: 'delete',
          type,
          key: `${label} "${l.name}"`,
          meaning: 'delete the role (its assignments go with it)',
          fields: { permissions: { old: l.permissions, new: null } },
          before: l,
          target: { ...base, roleName: l.name, roleId: l.id },
        });
}

interface AssignmentContext {
  cx: RolePlanContext;
  base: RoleTarget;
  roleKnown: (role: string) => boolean;
  roleNames: Set<string>;
  roleId: (role: string) => string | undefined;
  principal: (a: OrgFileRoleAssignment, key: string) => RoleTarget | null;
}

const whoKey = (a: OrgFileRoleAssignment) => (a.user ? `user ${a.user.toLowerCase()}` : `group "${a.group}"`);

function planAssignments(
  wanted: OrgFileRoleAssignment[],
  live: LiveAssignment[],
  type: 'role_assignment' | 'project_role_assignment',
  label: string,
  ax: AssignmentContext,
): void {
  const { cx } = ax;
  const liveKey = (a: LiveAssignment) => `${a.role}|${a.principal === 'user' ? `user ${a.who}` : `group "${a.who}"`}`;
  const have = new Map(live.map((a) => [liveKey(a), a]));
  const keep = new Set<string>();
  for (const a of wanted) {
    const key = `${label} "${a.role}" → ${whoKey(a)}`;
    if (!ax.roleKnown(a.role)) {
      cx.problems.push(`${key}: no role '${a.role}' in the organisation or the file${suggest(a.role, ax.roleNames)}`);
      continue;
    }
    const k = `${a.role}|${whoKey(a)}`;
    keep.add(k);
    if (have.has(k)) {
      cx.count();
      continue;
    }
    const who = ax.principal(a, key);
    if (!who) continue;
    cx.add({
      action: 'create',
      type,
      key,
      fields: { role: { old: null, new: a.role } },
      before: null,
      target: { ...ax.base, ...who, roleName: a.role, roleId: ax.roleId(a.role), principal: a.user ? 'user' : 'group' },
    });
  }
  if (cx.prune)
    for (const [k, l] of have)
      if (!keep.has(k))
        cx.add({
          action: 'delete',
          type,
          key: `${label} "${l.role}" → ${l.principal === 'user' ? `user ${l.who}` : `group "${l.who}"`}`,
          meaning: 'remove the role from them (the role and they stay)',
          fields: { role: { old: l.role, new: null } },
          before: l,
          target: {
            ...ax.base,
            roleName: l.role,
            roleId: l.roleId,
            principal: l.principal,
            ...(l.principal === 'user'
              ? { userId: l.principalId, email: l.who }
              : { groupId: l.principalId, group: l.who }),
          },
        });
}

/** Where a role change runs in apply (see apply.ts): roles before assignments, projects before their roles. */
export function rolePhaseOf(c: RoleChangeLike): 1 | 2 | 3 | null {
  if (!(ROLE_CHANGE_TYPES as readonly string[]).includes(c.type)) return null;
  if (c.action === 'delete' || c.type === 'role_assignment' || c.type === 'project_role_assignment') return 3;
  return c.type === 'role' ? 1 : 2;
}

/** What carryRole needs from apply's run. */
export interface RoleRun {
  admin: OpenAIAdmin;
  /** Role ids by `${project key}|${role name}` (org roles: `|name`), as created in this run. */
  roleIds: Map<string, string>;
  project(c: RoleChangeLike): string;
  group(c: RoleChangeLike): string;
}

/** An add that finds the assignment there, or a removal that finds it gone (a resumed run), is done. */
async function tolerant(send: () => Promise<unknown>, ok: typeof ConflictError | typeof NotFoundError) {
  try {
    await send();
  } catch (err) {
    if (!(err instanceof ok)) throw err;
  }
}

/**
 * Carries out one role change (apply.ts calls it for the role change types), sending only the fields that differ.
 *
 * @example
 * ```ts
 * if (rolePhaseOf(change)) await carryRole(run, change);
 * ```
 */
export async function carryRole(run: RoleRun, c: RoleChangeLike): Promise<void> {
  const { admin } = run;
  const t = c.target;
  const scope = c.type === 'role' || c.type === 'role_assignment' ? '' : (t.project ?? '');
  const roleId = () => {
    const id = t.roleId ?? run.roleIds.get(`${scope}|${t.roleName}`);
    if (!id) throw new Error(`${c.key}: role "${t.roleName}" was not created (see the role's own failure)`);
    return id;
  };
  const body = () => ({
    ...('permissions' in c.fields ? { permissions: t.permissions ?? [] } : {}),
    ...('description' in c.fields ? { description: t.description ?? null } : {}),
  });
  switch (`${c.type}:${c.action}`) {
    case 'role:create': {
      const r = await admin.roles.create({ role_name: t.roleName!, ...body(), permissions: t.permissions ?? [] });
      return void run.roleIds.set(`|${t.roleName}`, r.id);
    }
    case 'role:update':
      return void (await admin.roles.update(t.roleId!, body()));
    case 'role:delete':
      return tolerant(() => admin.roles.delete(t.roleId!), NotFoundError);
    case 'project_role:create': {
      const r = await admin.projects.roles.create(run.project(c), {
        role_name: t.roleName!,
        ...body(),
        permissions: t.permissions ?? [],
      });
      return void run.roleIds.set(`${scope}|${t.roleName}`, r.id);
    }
    case 'project_role:update':
      return void (await admin.projects.roles.update(run.project(c), t.roleId!, body()));
    case 'project_role:delete':
      return tolerant(() => admin.projects.roles.delete(run.project(c), t.roleId!), NotFoundError);
    case 'role_assignment:create':
      return tolerant(
        () =>
          t.principal === 'user'
            ? admin.users.roles.assign(t.userId!, { role_id: roleId() })
            : admin.groups.roles.assign(run.group(c), { role_id: roleId() }),
        ConflictError,
      );
    case 'role_assignment:delete':
      return tolerant(
        () =>
          t.principal === 'user'
            ? admin.users.roles.unassign(t.userId!, t.roleId!)
            : admin.groups.roles.unassign(t.groupId!, t.roleId!),
        NotFoundError,
      );
    case 'project_role_assignment:create':
      return tolerant(
        () =>
          t.principal === 'user'
            ? admin.projects.users.roles.assign(run.project(c), t.userId!, { role_id: roleId() })
            : admin.projects.groups.roles.assign(run.project(c), run.group(c), { role_id: roleId() }),
        ConflictError,
      );
    case 'project_role_assignment:delete':
      return tolerant(
        () =>
          t.principal === 'user'
            ? admin.projects.users.roles.unassign(run.project(c), t.userId!, t.roleId!)
            : admin.projects.groups.roles.unassign(run.project(c), t.groupId!, t.roleId!),
        NotFoundError,
      );
    default:
      throw new Error(`${c.key}: apply does not know how to ${c.action} a ${c.type}`);
  }
}

/**
 * The role sections' own references and duplicates, within the file. Pure; checkReferences calls it.
 *
 * @example
 * ```ts
 * checkRoleReferences({ version: 1, roles: [{ name: 'A', permissions: [] }, { name: 'A', permissions: [] }] });
 * // [{ path: ['roles', 1, 'name'], message: "'A' is listed twice (also entry 0)" }]
 * ```
 */
export function checkRoleReferences(file: OrgFile): Issue[] {
  const issues: Issue[] = [];
  const twice = <T>(items: T[] | undefined, key: (t: T) => string, section: string, field: string) => {
    const seen = new Map<string, number>();
    (items ?? []).forEach((item, i) => {
      const k = key(item);
      if (seen.has(k))
        issues.push({ path: [section, i, field], message: `'${k}' is listed twice (also entry ${seen.get(k)})` });
      else seen.set(k, i);
    });
  };
  twice(file.roles, (r) => r.name, 'roles', 'name');
  twice(file.project_roles, (r) => `${r.project} › ${r.name}`, 'project_roles', 'name');
  const people =
    file.users || file.invites
      ? new Set([...(file.users ?? []), ...(file.invites ?? [])].map((u) => u.email.toLowerCase()))
      : null;
  const groups = file.groups ? new Set(file.groups.map((g) => g.name)) : null;
  for (const section of ['role_assignments', 'project_role_assignments'] as const) {
    twice(
      file[section] as OrgFileProjectRoleAssignment[] | undefined,
      (a) => `${a.project ? `${a.project} › ` : ''}${a.role} → ${a.user ? a.user.toLowerCase() : `group ${a.group}`}`,
      section,
      'role',
    );
    (file[section] ?? []).forEach((a: OrgFileRoleAssignment, i) => {
      if ((a.user === undefined) === (a.group === undefined))
        issues.push({ path: [section, i], message: 'give exactly one of user (an email) or group (a group name)' });
      else if (a.user && people && !people.has(a.user.toLowerCase()))
        issues.push({
          path: [section, i, 'user'],
          message: `'${a.user}' is not in this file's users or invites${suggest(a.user, people)}`,
        });
      else if (a.group && groups && !groups.has(a.group))
        issues.push({
          path: [section, i, 'group'],
          message: `no group '${a.group}' in this file's groups${suggest(a.group, groups)}`,
        });
    });
  }
  return issues;
}
