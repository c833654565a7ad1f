/**
 * Certificates (mutual TLS) in an org file: the organisation's uploaded certificates with their organisation-wide
 * activation (`certificates:`), and which are active in each project (`projects[].certificates`, by name). Reading,
 * writing to the file, planning, applying; the shared modules call in here one line each.
 *
 * The PEM is in the file. A certificate is public (the private key stays with the client that presents it), and
 * applying the file to another organisation must upload it: a file without it could not create anything. A PEM
 * holding a private key is refused before anything is sent.
 *
 * Keys: a certificate by its name (its `id` too, only when two share one); in a project, a certificate by name.
 * A certificate cannot be changed except for its name, which is its key here: a file whose PEM differs from the
 * live certificate of that name is refused (give the new certificate another name; the old one goes with --prune).
 *
 * What each change means:
 * - certificate create: upload, then activate organisation-wide when the entry says `active: true`;
 * - certificate update: `active` only — activate, or deactivate (destructive: clients presenting it are refused);
 * - certificate delete (--prune): deactivate it organisation-wide and in every project where it is active, then
 *   delete it (the API refuses to delete an active certificate);
 * - project certificate create: activate in the project; delete (--prune on the project's list): deactivate there.
 * Apply order: uploads run in the first phase (before any activation needs their ids), activations with the other
 * additions, deactivations and deletes with the other removals.
 */
import type { OpenAIAdmin } from '../client.js';
import { collect } from './collect.js';
import { NotFoundError } from '../index.js';
import type { LiveOrg, LiveProject, OrgFile, OrgFileProject } from './model.js';
import type { CertificateTarget, ChangeLike, IssueLike, PlanContext, TargetLike } from './settings-types.js';

export interface OrgFileCertificate {
  /** The certificate's name: its natural key. */
  name: string;
  /** Only when the organisation has several certificates with this name: says which one. */
  id?: string;
  /** Active organisation-wide. Left out: not managed. */
  active?: boolean;
  /** The PEM-encoded X.509 certificate (public; never a private key). */
  certificate: string;
}

export interface LiveCertificate {
  id: string;
  name: string;
  active: boolean;
  content: string;
}

export type { CertificateTarget };

export const CERTIFICATE_TYPES = ['certificate', 'project_certificate'] as const;
export type CertificateChangeType = (typeof CERTIFICATE_TYPES)[number];

const PAGE = { limit: 100 } as const;

/** PEM text compared without its line endings and surrounding blanks (YAML block scalars change those). */
const normalPem = (pem: string) =>
  pem
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');

// ---------------------------------------------------------------- reading

/**
 * Reads the organisation's certificates (with their PEM: one request each) into `live`. A certificate without a
 * name cannot be keyed: it is left alone, with a note.
 *
 * @example
 * ```ts
 * if (wants('certificates')) await readCertificates(admin, live);
 * ```
 */
export async function readCertificates(admin: OpenAIAdmin, live: LiveOrg): Promise<void> {
  const listed = await collect(admin.certificates.list(PAGE), 'certificates');
  live.certificates = [];
  for (const c of listed) {
    if (!c.name) {
      live.notes.push(`certificate ${c.id} has no name: it cannot be keyed and is left alone`);
      continue;
    }
    const full = await admin.certificates.retrieve(c.id, { include: ['content'] });
    live.certificates.push({
      id: c.id,
      name: c.name,
      active: c.active === true,
      content: normalPem(full.certificate_details.content ?? ''),
    });
  }
}

/**
 * Reads which certificates are active in an active project (their ids) into `project`.
 *
 * @example
 * ```ts
 * await readProjectCertificates(admin, project);
 * ```
 */
export async function readProjectCertificates(admin: OpenAIAdmin, project: LiveProject): Promise<void> {
  const listed = await collect(
    admin.projects.certificates.list(project.id, PAGE),
    `project ${project.id}'s certificates`,
  );
  project.activeCertificates = listed.filter((c) => c.active === true).map((c) => ({ id: c.id, name: c.name ?? '' }));
}

// ---------------------------------------------------------------- the file

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The organisation's certificates as a file section (when read), sorted by name; ids only for shared names. Pure.
 *
 * @example
 * ```ts
 * Object.assign(file, certificatesToFile(live));
 * ```
 */
export function certificatesToFile(live: LiveOrg): Pick<OrgFile, 'certificates'> {
  if (!live.certificates) return {};
  const count = countNames(live.certificates);
  return {
    certificates: live.certificates
      .map((c) => ({
        name: c.name,
        ...(count.get(c.name)! > 1 ? { id: c.id } : {}),
        active: c.active,
        certificate: `${c.content}\n`,
      }))
      .sort((a, b) => byText(a.name, b.name) || byText(a.id ?? '', b.id ?? '')),
  };
}

/**
 * The certificates active in a live project, by name (by id where the organisation has two of that name). Pure.
 *
 * @example
 * ```ts
 * Object.assign(entry, projectCertificatesToFile(liveProject, live));
 * ```
 */
export function projectCertificatesToFile(l: LiveProject, live: LiveOrg): Pick<OrgFileProject, 'certificates'> {
  if (!l.activeCertificates || !live.certificates) return {};
  const count = countNames(live.certificates);
  return {
    certificates: l.activeCertificates
      .filter((c) => c.name)
      .map((c) => ((count.get(c.name) ?? 0) > 1 ? c.id : c.name))
      .sort(byText),
  };
}

function countNames(cs: Array<{ name: string }>): Map<string, number> {
  const count = new Map<string, number>();
  for (const c of cs) count.set(c.name, (count.get(c.name) ?? 0) + 1);
  return count;
}

/**
 * Problems within the file: a PEM that is no certificate or holds a private key, a name listed twice, a project
 * naming a certificate the file's `certificates` do not list. Pure.
 *
 * @example
 * ```ts
 * issues.push(...checkCertificateReferences(file));
 * ```
 */
export function checkCertificateReferences(file: OrgFile): IssueLike[] {
  const issues: IssueLike[] = [];
  const seen = new Map<string, number>();
  (file.certificates ?? []).forEach((c, i) => {
    const path: IssueLike['path'] = ['certificates', i];
    if (/PRIVATE KEY-----/.test(c.certificate))
      issues.push({
        path: [...path, 'certificate'],
        message: 'holds a private key: an org file must never carry one (keep the certificate only)',
      });
    else if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(c.certificate))
      issues.push({
        path: [...path, 'certificate'],
        message: 'is not a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)',
      });
    const k = c.id ?? c.name;
    if (seen.has(k))
      issues.push({
        path: [...path, 'name'],
        message: `certificate '${c.name}' is listed twice (also entry ${seen.get(k)}); for two with one name, give each its id`,
      });
    else seen.set(k, i);
  });
  const known = file.certificates
    ? new Set(file.certificates.flatMap((c) => (c.id ? [c.name, c.id] : [c.name])))
    : null;
  (file.projects ?? []).forEach((p, i) =>
    (p.certificates ?? []).forEach((name, j) => {
      if (known && !known.has(name))
        issues.push({
          path: ['projects', i, 'certificates', j],
          message: `no certificate '${name}' in this file's certificates`,
        });
    }),
  );
  return issues;
}

// ---------------------------------------------------------------- planning

export type CertificatePlanContext = PlanContext<CertificateChangeType>;

const certKey = (c: { name: string; id?: string }) => `certificate "${c.name}"${c.id ? ` (${c.id})` : ''}`;

/**
 * The changes to the organisation's certificates (the top-level `certificates`). Pure.
 *
 * @example
 * ```ts
 * planCertificates(desired, live, { add, problems, notes, prune, count });
 * ```
 */
export function planCertificates(desired: OrgFile, live: LiveOrg, cx: CertificatePlanContext): void {
  if (!desired.certificates) return;
  const liveCerts = live.certificates ?? [];
  const kept = new Set<string>();
  for (const c of desired.certificates) {
    const key = certKey(c);
    let l: LiveCertificate | undefined;
    if (c.id) {
      l = liveCerts.find((x) => x.id === c.id);
      if (!l) {
        cx.problems.push(`${key}: no certificate with this id (remove the id to upload it by name)`);
        continue;
      }
    } else {
      const named = liveCerts.filter((x) => x.name === c.name);
      if (named.length > 1) {
        cx.problems.push(
          `${key}: the organisation has ${named.length} certificates with this name (${named.map((x) => x.id).join(', ')}); give the entry the id of the one it means`,
        );
        continue;
      }
      l = named[0];
    }
    if (!l) {
      cx.add({
        action: 'create',
        type: 'certificate',
        key,
        meaning: c.active ? 'upload, then activate for the organisation' : 'upload (not activated)',
        fields: { name: { old: null, new: c.name }, ...(c.active ? { active: { old: null, new: true } } : {}) },
        before: null,
        target: { certificate: { name: c.name, pem: c.certificate, active: c.active === true } },
      });
      continue;
    }
    kept.add(l.id);
    if (normalPem(c.certificate) !== l.content) {
      cx.problems.push(
        `${key}: its PEM differs from the organisation's certificate of this name, and a certificate cannot be changed: give the new one another name (the old one is deleted with --prune once the file no longer lists it)`,
      );
      continue;
    }
    if (c.active !== undefined && c.active !== l.active)
      cx.add({
        action: 'update',
        type: 'certificate',
        key,
        meaning: c.active
          ? 'activate for the organisation'
          : 'deactivate for the organisation (clients presenting it are refused)',
        fields: { active: { old: l.active, new: c.active } },
        before: l,
        target: { certificate: { name: l.name, id: l.id, active: c.active } },
        destructive: !c.active,
      });
    else cx.count();
  }
  if (!cx.prune) return;
  for (const l of liveCerts)
    if (!kept.has(l.id)) {
      const activeIn = live.projects
        .filter((p) => p.activeCertificates?.some((a) => a.id === l.id))
        .map((p) => p.id)
        .sort(byText);
      cx.add({
        action: 'delete',
        type: 'certificate',
        key: certKey({ name: l.name, id: liveCerts.filter((x) => x.name === l.name).length > 1 ? l.id : undefined }),
        meaning: 'deactivate everywhere, then delete the certificate',
        fields: { name: { old: l.name, new: null } },
        before: l,
        target: { certificate: { name: l.name, id: l.id, activeIn } },
      });
    }
}

/**
 * The changes to which certificates are active in a project (`projects[].certificates`); `l` is null for a
 * project this plan creates. `live` gives the organisation's certificates (by name) and `desired` those the file
 * uploads. Pure.
 *
 * @example
 * ```ts
 * planProjectCertificates(p, l, base, 'project "Research"', desired, live, cx);
 * ```
 */
export function planProjectCertificates(
  p: OrgFileProject,
  l: LiveProject | null,
  base: TargetLike,
  label: string,
  desired: OrgFile,
  live: LiveOrg,
  cx: CertificatePlanContext,
): void {
  if (!p.certificates) return;
  const liveCerts = live.certificates ?? [];
  const active = l?.activeCertificates ?? [];
  const wanted = new Set<string>();
  for (const ref of p.certificates) {
    const key = `${label} › certificate "${ref}"`;
    const byId = liveCerts.find((x) => x.id === ref);
    const named = liveCerts.filter((x) => x.name === ref);
    const fromFile = (desired.certificates ?? []).some((x) => x.name === ref || x.id === ref);
    if (!byId && named.length > 1) {
      cx.problems.push(
        `${key}: the organisation has ${named.length} certificates with this name (${named.map((x) => x.id).join(', ')}); name it by id`,
      );
      continue;
    }
    const cert = byId ?? named[0];
    if (!cert && !fromFile) {
      cx.problems.push(`${key}: no certificate of this name in the organisation or the file`);
      continue;
    }
    if (cert) wanted.add(cert.id);
    if (cert && active.some((a) => a.id === cert.id)) {
      cx.count();
      continue;
    }
    cx.add({
      action: 'create',
      type: 'project_certificate',
      key,
      meaning: 'activate in the project',
      fields: { active: { old: cert ? false : null, new: true } },
      before: null,
      target: { ...base, certificate: { name: cert?.name ?? ref, id: cert?.id } },
    });
  }
  if (!cx.prune) return;
  for (const a of active)
    if (!wanted.has(a.id))
      cx.add({
        action: 'delete',
        type: 'project_certificate',
        key: `${label} › certificate "${liveCerts.filter((x) => x.name === a.name).length > 1 ? a.id : a.name}"`,
        meaning: 'deactivate in the project (clients presenting it are refused there)',
        fields: { active: { old: true, new: false } },
        before: a,
        target: { ...base, certificate: { name: a.name, id: a.id } },
      });
}

// ---------------------------------------------------------------- applying

/** Whether a change is one of this module's (apply hands those to {@link applyCertificateChange}). */
export const isCertificateChange = (c: ChangeLike): boolean =>
  (CERTIFICATE_TYPES as readonly string[]).includes(c.type);

/** Uploads run first: activations in later phases need their ids. */
export const isCertificateUpload = (c: ChangeLike): boolean => c.type === 'certificate' && c.action === 'create';

/**
 * Carries out one certificate change. `ids` maps certificate names uploaded in this run to their ids (uploads run
 * in an earlier phase than the activations that need them). Deactivating what is already inactive, or deleting
 * what is gone, is done, not failed (a resumed run).
 *
 * @example
 * ```ts
 * if (isCertificateChange(c)) return applyCertificateChange(admin, c, () => this.project(c), this.certificateIds);
 * ```
 */
export async function applyCertificateChange(
  admin: OpenAIAdmin,
  c: ChangeLike,
  projectId: () => string,
  ids: Map<string, string>,
): Promise<void> {
  const t = c.target.certificate!;
  const idOf = () => {
    const id = t.id ?? ids.get(t.name);
    if (!id) throw new Error(`${c.key}: certificate "${t.name}" was not uploaded (see its own failure)`);
    return id;
  };
  const gone = async (send: () => Promise<unknown>) => {
    try {
      await send();
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  };
  switch (`${c.type}:${c.action}`) {
    case 'certificate:create': {
      const made = await admin.certificates.create({ name: t.name, certificate: t.pem! });
      ids.set(t.name, made.id);
      if (t.active) await admin.certificates.activate({ certificate_ids: [made.id] });
      return;
    }
    case 'certificate:update':
      return void (await (t.active
        ? admin.certificates.activate({ certificate_ids: [idOf()] })
        : admin.certificates.deactivate({ certificate_ids: [idOf()] })));
    case 'certificate:delete': {
      const id = idOf();
      await gone(() => admin.certificates.deactivate({ certificate_ids: [id] }));
      for (const project of t.activeIn ?? [])
        await gone(() => admin.projects.certificates.deactivate(project, { certificate_ids: [id] }));
      return gone(() => admin.certificates.delete(id));
    }
    case 'project_certificate:create':
      return void (await admin.projects.certificates.activate(projectId(), { certificate_ids: [idOf()] }));
    case 'project_certificate:delete':
      return gone(() => admin.projects.certificates.deactivate(projectId(), { certificate_ids: [idOf()] }));
    default:
      throw new Error(`${c.key}: apply does not know how to ${c.action} a ${c.type}`);
  }
}
