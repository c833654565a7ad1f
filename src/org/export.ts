/**
 * The live organisation as an org file: natural keys instead of ids, sorted so that two exports of one
 * organisation are byte-identical, no secrets (service-account keys are never read; admin keys appear by name).
 */
import type { OpenAIAdmin } from '../client.js';
import type { LiveOrg, OrgFile, OrgFileProject, OrgFileServiceAccount } from './model.js';
import { RATE_LIMIT_FIELDS } from './model.js';
import { readOrg, type ReadOrgOptions } from './read.js';
import { orgSettingsToFile, spendSettingsToFile } from './spend-settings.js';
import { permissionsToFile } from './permissions.js';
import { certificatesToFile, projectCertificatesToFile } from './certificates.js';
import { rolesToFile } from './roles.js';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Reads the organisation and returns it as an org file (see {@link toOrgFile}).
 *
 * @example
 * ```ts
 * import { OpenAIAdmin } from 'openai-admin';
 * import { exportOrg, stringifyOrgFile } from 'openai-admin/org';
 * const file = await exportOrg(new OpenAIAdmin(), { only: ['projects', 'groups'] });
 * process.stdout.write(await stringifyOrgFile(file));
 * ```
 */
export async function exportOrg(admin: OpenAIAdmin, options: ExportOrgOptions = {}): Promise<OrgFile> {
  return toOrgFile(await readOrg(admin, options), options);
}

/** Options of {@link exportOrg}: what to read, and whether archived projects are listed. */
export interface ExportOrgOptions extends ReadOrgOptions {
  /**
   * List archived projects too, as `archived: true` entries (default false: an archived project can change no more,
   * and `apply --prune` archives what it removes, so leaving them out keeps an export → apply → export round trip equal).
   */
  includeArchived?: boolean;
}

/**
 * The org file of a live organisation. Pure. Two projects (or two service accounts of one project) that share a
 * name both carry their `id`, the one way to tell them apart; every other entry is keyed by name or email only.
 *
 * @example
 * ```ts
 * const file = toOrgFile(await readOrg(admin));
 * ```
 */
export function toOrgFile(live: LiveOrg, options: { includeArchived?: boolean } = {}): OrgFile {
  const wants = (s: string) => live.sections.includes(s as never);
  const file: OrgFile = { version: 1 };
  const projectName = new Map(live.projects.map((p) => [p.id, p.name]));
  // A project whose name another listed project shares is referred to by its id, as its own entry is keyed: by
  // name, an invite's project would name two (and plan would match it to neither).
  const listedNames = new Map<string, number>();
  for (const p of live.projects)
    if (options.includeArchived || !p.archived) listedNames.set(p.name, (listedNames.get(p.name) ?? 0) + 1);
  const projectRef = (id: string) => {
    const name = projectName.get(id);
    return name !== undefined && (listedNames.get(name) ?? 0) > 1 ? id : name;
  };
  if (wants('users'))
    file.users = live.users
      .map((u) => ({ email: u.email, role: u.role as 'owner' | 'reader' }))
      .sort((a, b) => byText(a.email, b.email));
  if (wants('invites'))
    file.invites = live.invites
      .map((i) => {
        const projects = i.projects.flatMap((p) => {
          const project = projectRef(p.id);
          return project === undefined ? [] : [{ project, role: p.role as 'owner' | 'member' }];
        });
        return {
          email: i.email,
          role: i.role as 'owner' | 'reader',
          ...(projects.length ? { projects: projects.sort((a, b) => byText(a.project, b.project)) } : {}),
        };
      })
      .sort((a, b) => byText(a.email, b.email));
  if (wants('groups'))
    file.groups = live.groups
      .map((g) => ({ name: g.name, members: g.members.map((m) => m.email).sort(byText) }))
      .sort((a, b) => byText(a.name, b.name));
  if (wants('projects')) {
    const count = new Map<string, number>();
    const listed = live.projects.filter((p) => options.includeArchived || !p.archived);
    for (const p of listed) count.set(p.name, (count.get(p.name) ?? 0) + 1);
    file.projects = listed
      .map((p): OrgFileProject => {
        const entry: OrgFileProject = { name: p.name };
        if ((count.get(p.name) ?? 0) > 1) entry.id = p.id;
        if (p.archived) return { ...entry, archived: true };
        if (p.external_key_id !== null) entry.external_key_id = p.external_key_id;
        if (p.dataRetention !== null) entry.data_retention = p.dataRetention;
        entry.users = p.users
          .map((u) => ({ email: u.email, role: u.role as 'owner' | 'member' }))
          .sort((a, b) => byText(a.email, b.email));
        entry.groups = p.groups.map((g) => ({ group: g.name })).sort((a, b) => byText(a.group, b.group));
        const saCount = new Map<string, number>();
        for (const s of p.serviceAccounts) saCount.set(s.name, (saCount.get(s.name) ?? 0) + 1);
        entry.service_accounts = p.serviceAccounts
          .map((s): OrgFileServiceAccount => ({
            name: s.name,
            ...((saCount.get(s.name) ?? 0) > 1 ? { id: s.id } : {}),
            ...(isServiceAccountRole(s.role) ? { role: s.role } : {}),
          }))
          .sort((a, b) => byText(a.name, b.name) || byText(a.id ?? '', b.id ?? ''));
        entry.rate_limits = p.rateLimits
          .map((r) => {
            const out: NonNullable<OrgFileProject['rate_limits']>[number] = { model: r.model };
            for (const f of RATE_LIMIT_FIELDS) if (r[f] !== undefined) out[f] = r[f];
            return out;
          })
          .sort((a, b) => byText(a.model, b.model));
        Object.assign(entry, spendSettingsToFile(p));
        Object.assign(entry, permissionsToFile(p));
        Object.assign(entry, projectCertificatesToFile(p, live));
        return entry;
      })
      .sort((a, b) => byText(a.name, b.name) || byText(a.id ?? '', b.id ?? ''));
  }
  if (wants('admin_api_keys'))
    file.admin_api_keys = live.adminApiKeys
      .map((k) => ({ name: k.name, owner: k.owner }))
      .sort((a, b) => byText(a.name ?? '', b.name ?? '') || byText(a.owner ?? '', b.owner ?? ''));
  Object.assign(file, orgSettingsToFile(live));
  Object.assign(file, certificatesToFile(live));
  // Custom roles and their assignments (src/org/roles.ts).
  Object.assign(file, rolesToFile(live));
  return file;
}

/**
 * An org file as YAML, with a header comment pointing editors at the schema. Loads the YAML library on demand.
 *
 * @example
 * ```ts
 * writeFileSync('org.yaml', await stringifyOrgFile(await exportOrg(admin)));
 * ```
 */
export async function stringifyOrgFile(file: OrgFile): Promise<string> {
  const { stringify } = await import('yaml');
  return (
    '# yaml-language-server: $schema=./node_modules/openai-admin/generated/org-file.schema.json\n' +
    '# An OpenAI organisation as code (openai-admin export). See docs/org-as-code.md: plan -f, then apply -f.\n' +
    stringify(file, { lineWidth: 0, aliasDuplicateObjects: false })
  );
}

/** The roles a service account can be given (`none`, for accounts made without one, cannot be set: left out). */
const isServiceAccountRole = (role: string): role is 'owner' | 'member' => role === 'owner' || role === 'member';
