import { badRequest, conflict } from '../errors.js';
import { cursorList } from '../pagination.js';
import { found, type CertificateRecord, type EmulatorState } from '../store.js';
import { certificateView, orgCertificateView, projectCertificateView } from '../views.js';
import { ok, type Handlers } from './types.js';

const cert = (state: EmulatorState, id: string, param = 'certificate_id') =>
  found(state.certificates, id, 'certificate', param);

function toggled(state: EmulatorState, ids: string[]): CertificateRecord[] {
  if (!ids.length) throw badRequest("Invalid 'certificate_ids': must not be empty.", 'certificate_ids');
  return ids.map((id, i) => cert(state, id, `certificate_ids[${i}]`));
}

function summary(cs: CertificateRecord[]) {
  return { certificates: cs.map((c) => ({ id: c.id, name: c.name ?? '' })) };
}

/** Org certificates (mutual TLS) and their activation per organisation and per project. */
export const certificateHandlers: Handlers<
  | 'listOrganizationCertificates'
  | 'uploadOrganizationCertificate'
  | 'retrieveOrganizationCertificate'
  | 'updateOrganizationCertificate'
  | 'deleteOrganizationCertificate'
  | 'activateOrganizationCertificates'
  | 'deactivateOrganizationCertificates'
  | 'listProjectCertificates'
  | 'activateProjectCertificates'
  | 'deactivateProjectCertificates'
> = {
  listOrganizationCertificates: ({ state, query }) =>
    ok(cursorList([...state.certificates.values()], query, orgCertificateView)),

  // The emulator does not parse X.509; it only checks the PEM armour, which catches the usual mistake
  // of sending a file path or a private key.
  uploadOrganizationCertificate: ({ state, body }) => {
    const pem = String(body.certificate);
    if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem)) {
      throw badRequest(
        "Invalid 'certificate': expected a PEM-encoded X.509 certificate.",
        'certificate',
        'invalid_certificate',
      );
    }
    const now = state.now();
    const c: CertificateRecord = {
      id: state.newId('cert_'),
      name: body.name ?? null,
      created_at: now,
      valid_at: now,
      expires_at: now + 365 * 86400,
      content: pem,
      active: false,
      activeInProjects: new Set(),
    };
    state.certificates.set(c.id, c);
    state.audit('certificate.created', { id: c.id, name: c.name ?? '' });
    return ok(certificateView(c));
  },

  retrieveOrganizationCertificate: ({ state, path, query }) => {
    const include: string[] = query.include ?? [];
    return ok(certificateView(cert(state, path.certificate_id), include.includes('content')));
  },

  updateOrganizationCertificate: ({ state, path, body }) => {
    const c = cert(state, path.certificate_id);
    if (body.name !== undefined) c.name = body.name;
    state.audit('certificate.updated', { id: c.id, name: c.name ?? '' });
    return ok(certificateView(c));
  },

  deleteOrganizationCertificate: ({ state, path }) => {
    const c = cert(state, path.certificate_id);
    if (c.active || c.activeInProjects.size)
      throw conflict(`Certificate '${c.id}' is active; deactivate it everywhere before deleting it.`, 'certificate_id');
    state.certificates.delete(c.id);
    state.audit('certificate.deleted', { id: c.id, name: c.name ?? '', certificate: c.content });
    return ok({ object: 'certificate.deleted', id: c.id });
  },

  activateOrganizationCertificates: ({ state, body }) => {
    const cs = toggled(state, body.certificate_ids);
    cs.forEach((c) => (c.active = true));
    state.audit('certificates.activated', summary(cs));
    return ok({ object: 'organization.certificate.activation', data: cs.map(orgCertificateView) });
  },

  deactivateOrganizationCertificates: ({ state, body }) => {
    const cs = toggled(state, body.certificate_ids);
    cs.forEach((c) => (c.active = false));
    state.audit('certificates.deactivated', summary(cs));
    return ok({ object: 'organization.certificate.deactivation', data: cs.map(orgCertificateView) });
  },

  listProjectCertificates: ({ state, path, query }) => {
    const p = state.project(path.project_id);
    return ok(cursorList([...state.certificates.values()], query, (c) => projectCertificateView(c, p.id)));
  },

  activateProjectCertificates: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const cs = toggled(state, body.certificate_ids);
    cs.forEach((c) => c.activeInProjects.add(p.id));
    state.audit('certificates.activated', summary(cs), p.id);
    return ok({
      object: 'organization.project.certificate.activation',
      data: cs.map((c) => projectCertificateView(c, p.id)),
    });
  },

  deactivateProjectCertificates: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const cs = toggled(state, body.certificate_ids);
    cs.forEach((c) => c.activeInProjects.delete(p.id));
    state.audit('certificates.deactivated', summary(cs), p.id);
    return ok({
      object: 'organization.project.certificate.deactivation',
      data: cs.map((c) => projectCertificateView(c, p.id)),
    });
  },
};
