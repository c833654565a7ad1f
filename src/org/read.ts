/**
 * Reading the live organisation for export and plan: every list the chosen sections need, paged by the client
 * and paced by its scheduler, the per-project lists a few projects at a time. Read-only.
 */
import type { OpenAIAdmin } from '../client.js';
import { collect } from './collect.js';
import { RATE_LIMIT_FIELDS, type LiveOrg, type LiveProject, type OrgSection, ORG_SECTIONS } from './model.js';
import { inPool } from './pool.js';
import { readOrgSettings, readProjectSettings } from './spend-settings.js';
import { readProjectPermissions } from './permissions.js';
import { readCertificates, readProjectCertificates } from './certificates.js';
import { ROLE_SECTIONS, readRoles } from './roles.js';

/** Options of {@link readOrg}. */
export interface ReadOrgOptions {
  /** The sections to read (default: all). `projects` reads each project's members, groups, service accounts and limits. */
  only?: readonly OrgSection[];
  /** Projects read at once (default 4). The client's pacing still decides how fast requests go out. */
  concurrency?: number;
  /** Called after each project is read, for a progress line. */
  onProgress?: (done: number, total: number) => void;
}

const PAGE = { limit: 100 } as const;

/**
 * Reads the live organisation: the sections asked for, with ids (for apply) and natural keys (for the file).
 *
 * @example
 * ```ts
 * import { OpenAIAdmin } from 'openai-admin';
 * import { readOrg } from 'openai-admin/org';
 * const live = await readOrg(new OpenAIAdmin(), { only: ['projects'] });
 * console.log(live.projects.length);
 * ```
 */
export async function readOrg(admin: OpenAIAdmin, options: ReadOrgOptions = {}): Promise<LiveOrg> {
  const sections = [...(options.only ?? ORG_SECTIONS)];
  const wants = (s: OrgSection) => sections.includes(s);
  const live: LiveOrg = { sections, users: [], invites: [], groups: [], projects: [], adminApiKeys: [], notes: [] };
  // Users are read whenever anything refers to people by email (groups, projects, invites).
  const users = await collect(admin.users.list(PAGE), 'users');
  for (const u of users) {
    if (u.email) live.users.push({ id: u.id, email: u.email.toLowerCase(), role: u.role ?? 'reader' });
    else live.notes.push(`user ${u.id} has no email: it cannot be keyed and is left alone`);
  }
  const emailOf = new Map(live.users.map((u) => [u.id, u.email]));
  live.invites = (await collect(admin.invites.list(PAGE), 'invites'))
    .filter((i) => i.status === 'pending')
    .map((i) => ({
      id: i.id,
      email: i.email.toLowerCase(),
      role: i.role,
      projects: (i.projects ?? []).map((p) => ({ id: p.id, role: p.role })),
    }));
  if (wants('groups') || wants('projects')) {
    const groups = await collect(admin.groups.list(PAGE), 'groups');
    live.groups = await inPool(groups, options.concurrency ?? 4, async (g) => ({
      id: g.id,
      name: g.name,
      members: wants('groups')
        ? (await collect(admin.groups.users.list(g.id, PAGE), `group ${g.id}'s users`)).flatMap((m) => {
            const email = m.email?.toLowerCase() ?? emailOf.get(m.id);
            return email ? [{ id: m.id, email }] : [];
          })
        : [],
    }));
  }
  if (wants('projects')) {
    const projects = await collect(admin.projects.list({ ...PAGE, include_archived: true }), 'projects');
    let done = 0;
    live.projects = await inPool(projects, options.concurrency ?? 4, async (p) => {
      const project = await readProject(admin, p, emailOf);
      options.onProgress?.(++done, projects.length);
      return project;
    });
  }
  await readOrgSettings(admin, live, wants);
  if (wants('certificates')) await readCertificates(admin, live);
  if (wants('admin_api_keys')) {
    live.adminApiKeys = (await collect(admin.adminApiKeys.list(PAGE), 'admin API keys')).map((k) => ({
      name: k.name ?? null,
      owner: ownerName(k.owner),
    }));
  }
  // Custom roles and their assignments: after users, groups and projects, whose ids they refer to.
  if (ROLE_SECTIONS.some((s) => wants(s)))
    live.roles = await readRoles(admin, live, sections, (items, run) => inPool(items, options.concurrency ?? 4, run));
  return live;
}

function ownerName(owner: unknown): string | null {
  const o = owner as { email?: string | null; name?: string | null } | undefined;
  return o?.email ?? o?.name ?? null;
}

async function readProject(
  admin: OpenAIAdmin,
  p: {
    id: string;
    name?: string | null;
    archived_at?: number | null;
    status?: string | null;
    external_key_id?: string | null;
  },
  emailOf: Map<string, string>,
): Promise<LiveProject> {
  const archived = (p.archived_at ?? null) !== null || p.status === 'archived';
  const project: LiveProject = {
    id: p.id,
    name: p.name ?? '',
    archived,
    external_key_id: p.external_key_id ?? null,
    dataRetention: null,
    users: [],
    groups: [],
    serviceAccounts: [],
    rateLimits: [],
  };
  // An archived project's children cannot change: nothing to read, nothing to plan.
  if (archived) return project;
  // Settings, permissions and certificates are read alongside the lists, each on its own route (a chain after
  // them would make every project wait for each route's pacing window in turn). Their failure is awaited below.
  const extras = Promise.all([
    readProjectSettings(admin, project),
    readProjectPermissions(admin, project),
    readProjectCertificates(admin, project),
  ]);
  extras.catch(() => undefined);
  const [users, groups, accounts, limits, retention] = await Promise.all([
    collect(admin.projects.users.list(p.id, PAGE), `project ${p.id}'s users`),
    collect(admin.projects.groups.list(p.id, PAGE), `project ${p.id}'s groups`),
    collect(admin.projects.serviceAccounts.list(p.id, PAGE), `project ${p.id}'s service accounts`),
    collect(admin.projects.rateLimits.list(p.id, PAGE), `project ${p.id}'s rate limits`),
    admin.projects.dataRetention.retrieve(p.id),
  ]);
  project.dataRetention = retention.type;
  project.users = users.flatMap((u) => {
    const email = u.email?.toLowerCase() ?? emailOf.get(u.id);
    return email ? [{ id: u.id, email, role: u.role }] : [];
  });
  project.groups = groups.map((g) => ({ id: g.group_id, name: g.group_name }));
  project.serviceAccounts = accounts.map((s) => ({ id: s.id, name: s.name, role: s.role }));
  project.rateLimits = limits.map((r) => {
    const out: LiveProject['rateLimits'][number] = { id: r.id, model: r.model };
    for (const f of RATE_LIMIT_FIELDS) if (typeof r[f] === 'number') out[f] = r[f];
    return out;
  });
  await extras;
  return project;
}
