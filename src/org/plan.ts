/**
 * planOrg: the changes that make a live organisation match an org file. Pure (no I/O, no clock): the same file
 * and the same live state give the same plan, so a plan can be reviewed, saved, and checked again before apply.
 *
 * Rules (docs/org-as-code.md has the per-type table):
 * - A section the file leaves out (`groups:`, a project's `users:`, …) is not managed; neither is a field left
 *   out of an entry. Only fields that differ become updates.
 * - Without `prune`, nothing is deleted, archived or removed. With it, within the sections the file has, what
 *   the file does not mention goes: users are removed from the organisation, invites revoked, groups deleted,
 *   memberships removed, service accounts deleted (their keys with them), projects archived. Rate limits are
 *   never pruned: the API keeps one per model and has no way to reset one to its default.
 * - Users cannot be created: a person the file lists who is not in the organisation is invited, with the
 *   projects the file makes them a member of; a pending invite with the same role and projects counts as done.
 *   Group memberships of invited people wait until they accept (a note says so).
 * - References that resolve to nothing (an email, a group, a model, an ambiguous project name) are errors: the
 *   whole plan is refused rather than half-made.
 */
import type { LiveOrg, LiveProject, OrgFile, OrgFileProject, OrgSection, RateLimitField } from './model.js';
import { RATE_LIMIT_FIELDS } from './model.js';
import {
  planOrgSettings,
  planProjectSettings,
  SETTINGS_TYPES,
  type SettingsChangeType,
  type SettingsTarget,
} from './spend-settings.js';
import {
  planProjectPermissions,
  PERMISSIONS_TYPES,
  type PermissionsChangeType,
  type PermissionsTarget,
} from './permissions.js';
import {
  planCertificates,
  planProjectCertificates,
  CERTIFICATE_TYPES,
  type CertificateChangeType,
  type CertificateTarget,
} from './certificates.js';
import { ROLE_CHANGE_TYPES, type RoleChangeType } from './roles-model.js';
import { planRoles } from './roles.js';

export type ChangeType =
  | 'user'
  | 'invite'
  | 'group'
  | 'group_member'
  | 'project'
  | 'project_user'
  | 'project_group'
  | 'service_account'
  | 'rate_limit'
  | SettingsChangeType
  | PermissionsChangeType
  | CertificateChangeType
  // Custom roles and their assignments (src/org/roles.ts).
  | RoleChangeType;
export type ChangeAction = 'create' | 'update' | 'delete';

/** One change: what, to which entry (by natural key), field by field, and what apply needs to carry it out. */
export interface Change {
  action: ChangeAction;
  type: ChangeType;
  /** The entry by natural keys: `project "Production" › user ada@example.com`. Unique within a plan. */
  key: string;
  /** What the change does against the API, in words (for deletes and other changes people should notice). */
  meaning?: string;
  /** Field by field, old → new (old is null on create, new is null on delete). */
  fields: Record<string, { old: unknown; new: unknown }>;
  /** The live entry as planned against (null when it does not exist): a saved plan is refused when it changed. */
  before: unknown;
  /** The natural keys and known ids apply uses. */
  target: Target;
  /** True when the change removes or archives something, or cannot be undone: apply lists these before asking. */
  destructive: boolean;
}

export interface Target {
  email?: string;
  userId?: string;
  inviteId?: string;
  role?: string;
  group?: string;
  groupId?: string;
  /** The project's key in this plan (its id when the file gives one, else its name) and its id when it exists. */
  project?: string;
  projectName?: string;
  projectId?: string;
  name?: string;
  serviceAccountId?: string;
  model?: string;
  rateLimitId?: string;
  /** Invite projects, by project key. */
  projects?: Array<{ project: string; role: string }>;
  external_key_id?: string | null;
  data_retention?: string;
  archive?: boolean;
  values?: Partial<Record<RateLimitField, number>>;
  // Custom roles and their assignments (src/org/roles.ts).
  roleName?: string;
  roleId?: string;
  permissions?: string[];
  description?: string | null;
  principal?: 'user' | 'group';
}

// Spend limits, spend alerts and the organisation's data retention (spend-settings.ts).
export interface Target {
  settings?: SettingsTarget;
}
// A project's model and hosted-tool permissions (permissions.ts).
export interface Target {
  access?: PermissionsTarget;
}
// Certificates and their activation (certificates.ts).
export interface Target {
  certificate?: CertificateTarget;
}

/** What planOrg returns: JSON-safe, so it can be saved (`plan --json > saved.json`) and applied later. */
export interface OrgPlan {
  version: 1;
  prune: boolean;
  summary: { create: number; update: number; delete: number; unchanged: number };
  changes: Change[];
  /** Things worth knowing that are not changes (deferred memberships, entries left alone). */
  notes: string[];
  /** The file the plan was made from (apply --plan plans it again to see whether the organisation changed). */
  desired: OrgFile;
  /** The sections of the organisation the plan read. */
  sections: OrgSection[];
}

export interface PlanOptions {
  /** Remove what the file does not mention, within the sections it has (see the module comment). */
  prune?: boolean;
}

/** A file that cannot be planned against this organisation: every reference that resolves to nothing. */
export class OrgPlanError extends Error {
  override name = 'OrgPlanError';
  constructor(readonly problems: string[]) {
    super(
      `cannot plan: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was sent\n  ${problems.slice(0, 50).join('\n  ')}`,
    );
  }
}

/** The sections an org file manages (the top-level keys it has, admin_api_keys excepted: read-only). */
export function sectionsOf(file: OrgFile): OrgSection[] {
  const sections: OrgSection[] = (
    [
      'users',
      'invites',
      'groups',
      'projects',
      // Custom roles and their assignments (src/org/roles.ts).
      'roles',
      'role_assignments',
      'project_roles',
      'project_role_assignments',
    ] as const
  ).filter((s) => file[s] !== undefined);
  // The organisation's own settings (spend-settings.ts).
  sections.push(...(['spend_limit', 'spend_alerts', 'data_retention'] as const).filter((s) => file[s] !== undefined));
  // Certificates are read when the file manages them or a project names one (certificates.ts).
  if (file.certificates !== undefined || file.projects?.some((p) => p.certificates !== undefined))
    sections.push('certificates');
  return sections;
}

const TYPE_ORDER: ChangeType[] = [
  'user',
  'invite',
  'group',
  'group_member',
  'project',
  'project_user',
  'project_group',
  'service_account',
  'rate_limit',
  ...SETTINGS_TYPES,
  ...PERMISSIONS_TYPES,
  ...CERTIFICATE_TYPES,
  ...ROLE_CHANGE_TYPES,
];

/** The project's key within a plan: its id when the file gives one (duplicate names), else its name. */
export const projectKey = (p: { name: string; id?: string }) => p.id ?? p.name;
const projectLabel = (p: { name: string; id?: string }) =>
  p.id ? `project "${p.name}" (${p.id})` : `project "${p.name}"`;

/**
 * The changes that make `live` match `desired`. Pure. Throws {@link OrgPlanError} listing every reference that
 * resolves to nothing.
 *
 * @example
 * ```ts
 * import { OpenAIAdmin } from 'openai-admin';
 * import { readOrg, planOrg, parseOrgFile, sectionsOf } from 'openai-admin/org';
 * const desired = parseOrgFile(readFileSync('org.yaml', 'utf8'), 'org.yaml');
 * const plan = planOrg(desired, await readOrg(new OpenAIAdmin(), { only: sectionsOf(desired) }), { prune: false });
 * console.log(plan.summary); // { create: 2, update: 1, delete: 0, unchanged: 40 }
 * ```
 */
export function planOrg(desired: OrgFile, live: LiveOrg, options: PlanOptions = {}): OrgPlan {
  const prune = options.prune === true;
  const changes: Change[] = [];
  const notes: string[] = [...live.notes];
  const problems: string[] = [];
  let unchanged = 0;
  const add = (c: Omit<Change, 'fields' | 'destructive'> & { fields?: Change['fields']; destructive?: boolean }) =>
    changes.push({ fields: {}, destructive: c.action === 'delete', ...c });

  const liveUser = new Map(live.users.map((u) => [u.email, u]));
  const liveInvite = new Map(live.invites.map((i) => [i.email, i]));
  const fileUser = new Map((desired.users ?? []).map((u) => [u.email.toLowerCase(), u]));
  const fileInvite = new Map((desired.invites ?? []).map((u) => [u.email.toLowerCase(), u]));
  const liveProjectName = new Map(live.projects.map((p) => [p.id, p.name]));

  // Projects first (matching only): other sections refer to them.
  const matched = new Map<string, LiveProject | null>();
  for (const p of desired.projects ?? []) matched.set(projectKey(p), matchProject(p, live.projects, problems, notes));

  // --- people: users, and the invites that stand for the users who cannot be created ---
  /** Wanted invites by email: role and projects (by project key → role). */
  const wantedInvites = new Map<
    string,
    { role: string; projects: Map<string, string>; explicit: boolean; manageProjects: boolean }
  >();
  for (const u of desired.users ?? []) {
    const email = u.email.toLowerCase();
    const l = liveUser.get(email);
    if (!l) {
      wantedInvites.set(email, {
        role: u.role,
        projects: new Map(),
        explicit: false,
        manageProjects: desired.projects !== undefined,
      });
      continue;
    }
    if (l.role !== u.role)
      add({
        action: 'update',
        type: 'user',
        key: `user ${email}`,
        fields: { role: { old: l.role, new: u.role } },
        before: l,
        target: { email, userId: l.id, role: u.role },
      });
    else unchanged++;
  }
  for (const i of desired.invites ?? []) {
    const email = i.email.toLowerCase();
    if (liveUser.has(email)) {
      notes.push(`invite ${email}: already a member of the organisation (the invite was accepted)`);
      continue;
    }
    const projects = new Map((i.projects ?? []).map((p) => [p.project, p.role as string]));
    wantedInvites.set(email, {
      role: i.role,
      projects,
      explicit: true,
      manageProjects: i.projects !== undefined || desired.projects !== undefined,
    });
  }
  /** Where an email stands: a member (with id), invited (by the file or already), or unknown. */
  const person = (email: string): 'member' | 'invited' | 'unknown' => {
    if (liveUser.has(email)) return 'member';
    if (wantedInvites.has(email) || (!desired.users && !desired.invites && liveInvite.has(email))) return 'invited';
    return 'unknown';
  };
  // Project memberships of people who are not members yet ride on their invite.
  for (const p of desired.projects ?? []) {
    if (p.archived) continue;
    for (const u of p.users ?? []) {
      const email = u.email.toLowerCase();
      const where = person(email);
      if (where === 'member') continue;
      if (where === 'unknown') {
        problems.push(
          `${projectLabel(p)} › users: '${email}' is not in the organisation, and the file neither lists them under users nor invites them`,
        );
        continue;
      }
      let wanted = wantedInvites.get(email);
      if (!wanted) {
        // Invited before, outside this file: the membership is added to that invite.
        const l = liveInvite.get(email)!;
        wanted = {
          role: l.role,
          projects: projectsOfInvite(l, liveProjectName, matched),
          explicit: false,
          manageProjects: true,
        };
        wantedInvites.set(email, wanted);
      }
      wanted.projects.set(projectKey(p), u.role);
    }
  }
  for (const [email, w] of [...wantedInvites].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const key of w.projects.keys())
      if (desired.projects && !matched.has(key) && !live.projects.some((lp) => lp.name === key))
        problems.push(`invite ${email}: no project '${key}'`);
    const l = liveInvite.get(email);
    // Projects not managed by the file: an existing invite keeps its own (a new one gets the API's default).
    if (!w.manageProjects && l) w.projects = projectsOfInvite(l, liveProjectName, matched);
    const projects = [...w.projects]
      .map(([project, role]) => ({ project, role }))
      .sort((a, b) => (a.project < b.project ? -1 : 1));
    const target: Target = { email, role: w.role, ...(w.manageProjects ? { projects } : {}) };
    if (!l) {
      add({
        action: 'create',
        type: 'invite',
        key: `invite ${email}`,
        meaning: w.explicit ? 'send an invitation' : 'invite (users cannot be created: they join by accepting)',
        fields: {
          role: { old: null, new: w.role },
          ...(w.manageProjects ? { projects: { old: null, new: projects } } : {}),
        },
        before: null,
        target,
      });
      continue;
    }
    const liveProjects = [...projectsOfInvite(l, liveProjectName, matched)]
      .map(([project, role]) => ({ project, role }))
      .sort((a, b) => (a.project < b.project ? -1 : 1));
    const fields: Change['fields'] = {};
    if (l.role !== w.role) fields.role = { old: l.role, new: w.role };
    if (JSON.stringify(liveProjects) !== JSON.stringify(projects))
      fields.projects = { old: liveProjects, new: projects };
    if (Object.keys(fields).length)
      add({
        action: 'update',
        type: 'invite',
        key: `invite ${email}`,
        meaning: 'revoke the invite and send a new one (an invite cannot be changed)',
        fields,
        before: l,
        target: { ...target, inviteId: l.id },
      });
    else unchanged++;
  }
  if (prune && desired.users)
    for (const l of live.users)
      if (!fileUser.has(l.email) && !fileInvite.has(l.email))
        add({
          action: 'delete',
          type: 'user',
          key: `user ${l.email}`,
          meaning: 'remove from the organisation (and from every project and group)',
          fields: { role: { old: l.role, new: null } },
          before: l,
          target: { email: l.email, userId: l.id },
        });
  if (prune && desired.invites)
    for (const l of live.invites)
      if (!wantedInvites.has(l.email))
        add({
          action: 'delete',
          type: 'invite',
          key: `invite ${l.email}`,
          meaning: 'revoke the invite',
          fields: { role: { old: l.role, new: null } },
          before: l,
          target: { email: l.email, inviteId: l.id },
        });

  // --- groups and their members ---
  const liveGroup = new Map(live.groups.map((g) => [g.name, g]));
  const groupKnown = (name: string) => liveGroup.has(name) || (desired.groups ?? []).some((g) => g.name === name);
  for (const g of desired.groups ?? []) {
    const l = liveGroup.get(g.name);
    if (!l)
      add({
        action: 'create',
        type: 'group',
        key: `group "${g.name}"`,
        fields: { name: { old: null, new: g.name } },
        before: null,
        target: { group: g.name },
      });
    else unchanged++;
    if (!g.members) continue;
    const liveMembers = new Map((l?.members ?? []).map((m) => [m.email, m]));
    const wantedMembers = new Set(g.members.map((m) => m.toLowerCase()));
    for (const email of [...wantedMembers].sort()) {
      const where = person(email);
      if (liveMembers.has(email)) unchanged++;
      else if (where === 'member')
        add({
          action: 'create',
          type: 'group_member',
          key: `group "${g.name}" › member ${email}`,
          fields: { member: { old: null, new: email } },
          before: null,
          target: { group: g.name, groupId: l?.id, email, userId: liveUser.get(email)!.id },
        });
      else if (where === 'invited')
        notes.push(`group "${g.name}" › member ${email}: invited, added once they accept (run apply again then)`);
      else
        problems.push(
          `group "${g.name}" › members: '${email}' is not in the organisation, and the file neither lists them under users nor invites them`,
        );
    }
    if (prune && l)
      for (const m of l.members)
        if (!wantedMembers.has(m.email))
          add({
            action: 'delete',
            type: 'group_member',
            key: `group "${g.name}" › member ${m.email}`,
            meaning: 'remove from the group',
            fields: { member: { old: m.email, new: null } },
            before: m,
            target: { group: g.name, groupId: l.id, email: m.email, userId: m.id },
          });
  }
  if (prune && desired.groups)
    for (const l of live.groups)
      if (!desired.groups.some((g) => g.name === l.name))
        add({
          action: 'delete',
          type: 'group',
          key: `group "${l.name}"`,
          meaning: 'delete the group (its members stay in the organisation)',
          fields: { name: { old: l.name, new: null } },
          before: { id: l.id, name: l.name },
          target: { group: l.name, groupId: l.id },
        });

  // --- projects and what is in them ---
  for (const p of desired.projects ?? []) {
    const key = projectKey(p);
    const l = matched.get(key) ?? null;
    const label = projectLabel(p);
    const base: Target = { project: key, projectName: p.name, projectId: l?.id };
    if (!l) {
      add({
        action: 'create',
        type: 'project',
        key: label,
        meaning: p.archived ? 'create, then archive (cannot be undone)' : undefined,
        fields: {
          name: { old: null, new: p.name },
          ...(p.external_key_id != null ? { external_key_id: { old: null, new: p.external_key_id } } : {}),
          ...(p.data_retention !== undefined ? { data_retention: { old: null, new: p.data_retention } } : {}),
          ...(p.archived ? { archived: { old: null, new: true } } : {}),
        },
        before: null,
        target: {
          ...base,
          external_key_id: p.external_key_id ?? null,
          data_retention: p.data_retention,
          archive: p.archived === true,
        },
        destructive: p.archived === true,
      });
    } else {
      const fields: Change['fields'] = {};
      if (p.external_key_id !== undefined && (p.external_key_id ?? null) !== l.external_key_id)
        fields.external_key_id = { old: l.external_key_id, new: p.external_key_id ?? null };
      if (p.data_retention !== undefined && p.data_retention !== l.dataRetention)
        fields.data_retention = { old: l.dataRetention, new: p.data_retention };
      if (p.archived === true && !l.archived) fields.archived = { old: false, new: true };
      if (Object.keys(fields).length)
        add({
          action: 'update',
          type: 'project',
          key: label,
          meaning: fields.archived ? 'archive (cannot be undone: its keys stop working)' : undefined,
          fields,
          before: projectBefore(l),
          target: {
            ...base,
            external_key_id: p.external_key_id,
            data_retention: p.data_retention,
            archive: fields.archived !== undefined,
          },
          destructive: fields.archived !== undefined,
        });
      else unchanged++;
    }
    if (p.archived) continue;
    planProjectChildren(p, l, base, label, {
      add,
      problems,
      notes,
      prune,
      person,
      liveUser,
      groupKnown,
      liveGroup,
      count: () => unchanged++,
    });
    planProjectSettings(p, l, base, label, { add, problems, notes, prune, count: () => unchanged++ });
    planProjectPermissions(p, l, base, label, { add, count: () => unchanged++ });
    planProjectCertificates(p, l, base, label, desired, live, {
      add,
      problems,
      notes,
      prune,
      count: () => unchanged++,
    });
  }
  if (prune && desired.projects) {
    const kept = new Set([...matched.values()].flatMap((l) => (l ? [l.id] : [])));
    for (const l of live.projects)
      if (!l.archived && !kept.has(l.id))
        add({
          action: 'delete',
          type: 'project',
          key: projectLabel({
            name: l.name,
            id: live.projects.filter((x) => x.name === l.name).length > 1 ? l.id : undefined,
          }),
          meaning: 'archive (projects cannot be deleted; archiving cannot be undone: its keys stop working)',
          fields: { archived: { old: false, new: true } },
          before: projectBefore(l),
          target: { project: l.id, projectName: l.name, projectId: l.id },
        });
  }

  planOrgSettings(desired, live, { add, problems, notes, prune, count: () => unchanged++ });
  planCertificates(desired, live, { add, problems, notes, prune, count: () => unchanged++ });
  // Custom roles and their assignments (src/org/roles.ts).
  planRoles(desired, live, {
    add,
    problems,
    notes,
    prune,
    count: () => unchanged++,
    person,
    userId: (email) => liveUser.get(email)?.id,
    projectStays: (id) => !prune || !desired.projects || [...matched.values()].some((l) => l?.id === id),
    fileProject: (key) => {
      const entry = (desired.projects ?? []).find((p) => projectKey(p) === key);
      return entry && !entry.archived ? { entry, live: matched.get(key) ?? null } : null;
    },
  });

  if (problems.length) throw new OrgPlanError(problems);
  changes.sort(
    (a, b) =>
      TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) ||
      ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action),
  );
  const count = (a: ChangeAction) => changes.filter((c) => c.action === a).length;
  return {
    version: 1,
    prune,
    summary: { create: count('create'), update: count('update'), delete: count('delete'), unchanged },
    changes,
    notes,
    desired,
    sections: live.sections,
  };
}

const ACTION_ORDER: ChangeAction[] = ['create', 'update', 'delete'];

/** What a saved plan compares for a project: its fields, not its children (they have entries of their own). */
const projectBefore = (l: LiveProject) => ({
  id: l.id,
  name: l.name,
  archived: l.archived,
  external_key_id: l.external_key_id,
  data_retention: l.dataRetention,
});

/** A live invite's projects by the project keys the file uses (its name, or its id when the file gives one). */
function projectsOfInvite(
  invite: LiveOrg['invites'][number],
  names: Map<string, string>,
  matched: Map<string, LiveProject | null>,
): Map<string, string> {
  const keyOfId = new Map([...matched].flatMap(([key, l]) => (l ? [[l.id, key] as const] : [])));
  return new Map(invite.projects.map((p) => [keyOfId.get(p.id) ?? names.get(p.id) ?? p.id, p.role]));
}

/** The live project an entry names: by id when given, else the one active project of that name. */
function matchProject(
  p: OrgFileProject,
  projects: LiveProject[],
  problems: string[],
  notes: string[],
): LiveProject | null {
  if (p.id) {
    const l = projects.find((x) => x.id === p.id);
    if (!l)
      problems.push(
        `${projectLabel(p)}: no project with this id in the organisation (an id names a project of one organisation: remove it to create the project by name)`,
      );
    return l ?? null;
  }
  const named = projects.filter((x) => x.name === p.name);
  const active = named.filter((x) => !x.archived);
  if (active.length > 1) {
    problems.push(
      `${projectLabel(p)}: the organisation has ${active.length} active projects with this name (${active.map((x) => x.id).join(', ')}); give the entry the id of the one it means`,
    );
    return null;
  }
  if (active.length === 1) return active[0];
  if (named.length && p.archived) return named[0];
  if (named.length) notes.push(`${projectLabel(p)}: only an archived project has this name; a new project is created`);
  return null;
}

interface ChildContext {
  add: (c: Omit<Change, 'fields' | 'destructive'> & { fields?: Change['fields']; destructive?: boolean }) => void;
  problems: string[];
  notes: string[];
  prune: boolean;
  person: (email: string) => 'member' | 'invited' | 'unknown';
  liveUser: Map<string, { id: string; email: string; role: string }>;
  groupKnown: (name: string) => boolean;
  liveGroup: Map<string, { id: string; name: string }>;
  count: () => void;
}

function planProjectChildren(
  p: OrgFileProject,
  l: LiveProject | null,
  base: Target,
  label: string,
  cx: ChildContext,
): void {
  const { add, problems, prune } = cx;
  if (p.users) {
    const live = new Map((l?.users ?? []).map((u) => [u.email, u]));
    const wanted = new Set<string>();
    for (const u of p.users) {
      const email = u.email.toLowerCase();
      wanted.add(email);
      const lu = live.get(email);
      if (lu) {
        if (lu.role !== u.role)
          add({
            action: 'update',
            type: 'project_user',
            key: `${label} › user ${email}`,
            fields: { role: { old: lu.role, new: u.role } },
            before: lu,
            target: { ...base, email, userId: lu.id, role: u.role },
          });
        else cx.count();
      } else if (cx.person(email) === 'member')
        add({
          action: 'create',
          type: 'project_user',
          key: `${label} › user ${email}`,
          fields: { role: { old: null, new: u.role } },
          before: null,
          target: { ...base, email, userId: cx.liveUser.get(email)!.id, role: u.role },
        });
      // Not a member yet: the membership rides on their invite (planned with the invites).
    }
    if (prune)
      for (const lu of l?.users ?? [])
        if (!wanted.has(lu.email))
          add({
            action: 'delete',
            type: 'project_user',
            key: `${label} › user ${lu.email}`,
            meaning: 'remove from the project (they stay in the organisation)',
            fields: { role: { old: lu.role, new: null } },
            before: lu,
            target: { ...base, email: lu.email, userId: lu.id },
          });
  }
  if (p.groups) {
    const live = new Map((l?.groups ?? []).map((g) => [g.name, g]));
    for (const g of p.groups) {
      if (!cx.groupKnown(g.group)) {
        problems.push(`${label} › groups: no group '${g.group}' in the organisation or the file`);
        continue;
      }
      if (live.has(g.group)) cx.count();
      else
        add({
          action: 'create',
          type: 'project_group',
          key: `${label} › group "${g.group}"`,
          fields: { role: { old: null, new: g.role ?? 'member' } },
          before: null,
          target: { ...base, group: g.group, groupId: cx.liveGroup.get(g.group)?.id, role: g.role ?? 'member' },
        });
    }
    if (prune)
      for (const lg of l?.groups ?? [])
        if (!p.groups.some((g) => g.group === lg.name))
          add({
            action: 'delete',
            type: 'project_group',
            key: `${label} › group "${lg.name}"`,
            meaning: 'remove the group from the project',
            fields: { group: { old: lg.name, new: null } },
            before: lg,
            target: { ...base, group: lg.name, groupId: lg.id },
          });
  }
  if (p.service_accounts) {
    const kept = new Set<string>();
    for (const s of p.service_accounts) {
      const sKey = `${label} › service account "${s.name}"${s.id ? ` (${s.id})` : ''}`;
      let ls: LiveProject['serviceAccounts'][number] | undefined;
      if (s.id) {
        ls = l?.serviceAccounts.find((x) => x.id === s.id);
        if (!ls) {
          problems.push(`${sKey}: no service account with this id in the project`);
          continue;
        }
      } else {
        const named = (l?.serviceAccounts ?? []).filter((x) => x.name === s.name);
        if (named.length > 1) {
          problems.push(
            `${sKey}: the project has ${named.length} service accounts with this name (${named.map((x) => x.id).join(', ')}); give the entry the id of the one it means`,
          );
          continue;
        }
        ls = named[0];
      }
      if (!ls) {
        add({
          action: 'create',
          type: 'service_account',
          key: sKey,
          meaning: 'create (its API key goes to --keys-out, never into the plan)',
          fields: { name: { old: null, new: s.name }, ...(s.role ? { role: { old: null, new: s.role } } : {}) },
          before: null,
          target: { ...base, name: s.name, role: s.role },
        });
        continue;
      }
      kept.add(ls.id);
      if (s.role !== undefined && s.role !== ls.role)
        add({
          action: 'update',
          type: 'service_account',
          key: sKey,
          fields: { role: { old: ls.role, new: s.role } },
          before: ls,
          target: { ...base, name: s.name, serviceAccountId: ls.id, role: s.role },
        });
      else cx.count();
    }
    if (prune)
      for (const ls of l?.serviceAccounts ?? [])
        if (!kept.has(ls.id))
          add({
            action: 'delete',
            type: 'service_account',
            key: `${label} › service account "${ls.name}" (${ls.id})`,
            meaning: 'delete the service account and its API keys',
            fields: { name: { old: ls.name, new: null } },
            before: ls,
            target: { ...base, name: ls.name, serviceAccountId: ls.id },
          });
  }
  if (p.rate_limits) {
    for (const r of p.rate_limits) {
      const lr = l?.rateLimits.find((x) => x.model === r.model);
      const key = `${label} › rate limit ${r.model}`;
      if (l && !lr) {
        problems.push(
          `${key}: the project has no rate limit for this model (the API keeps one per model it serves; none can be created)${suggestModel(r.model, l)}`,
        );
        continue;
      }
      const fields: Change['fields'] = {};
      const values: Partial<Record<RateLimitField, number>> = {};
      for (const f of RATE_LIMIT_FIELDS)
        if (r[f] !== undefined && r[f] !== lr?.[f]) {
          fields[f] = { old: lr?.[f] ?? null, new: r[f] };
          values[f] = r[f];
        }
      if (Object.keys(fields).length)
        add({
          action: 'update',
          type: 'rate_limit',
          key,
          meaning: lr ? undefined : 'set once the project exists (its limits are read then)',
          fields,
          before: lr ?? null,
          target: { ...base, model: r.model, rateLimitId: lr?.id, values },
        });
      else cx.count();
    }
  }
}

function suggestModel(model: string, l: LiveProject): string {
  const near = l.rateLimits.map((r) => r.model).filter((m) => m.startsWith(model.slice(0, 3)));
  return near.length ? ` (models it has: ${near.slice(0, 5).join(', ')})` : '';
}
