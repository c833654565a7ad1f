import type * as T from '../../generated/client/types.gen.js';
import type {
  CertificateRecord,
  EmulatorState,
  GroupRecord,
  ProjectKeyRecord,
  ProjectRecord,
  RoleAssignmentRecord,
  RoleRecord,
  ServiceAccountRecord,
  UserRecord,
} from './store.js';

// Records hold what the emulator needs; views shape them into exactly the wire objects of the spec.

export function projectView(p: ProjectRecord): T.Project {
  return {
    id: p.id,
    object: 'organization.project',
    name: p.name,
    created_at: p.created_at,
    archived_at: p.archived_at,
    status: p.archived_at === null ? 'active' : 'archived',
    external_key_id: p.external_key_id,
    ...(p.residency ? { residency: p.residency } : {}),
  };
}

export function userView(u: UserRecord): T.User {
  return { object: 'organization.user', id: u.id, name: u.name, email: u.email, role: u.role, added_at: u.added_at };
}

export function projectUserView(u: UserRecord, m: { role: string; added_at: number }): T.ProjectUser {
  return {
    object: 'organization.project.user',
    id: u.id,
    name: u.name,
    email: u.email,
    role: m.role,
    added_at: m.added_at,
  };
}

export function serviceAccountView(s: ServiceAccountRecord): T.ProjectServiceAccount {
  return {
    object: 'organization.project.service_account',
    id: s.id,
    name: s.name,
    role: s.role,
    created_at: s.created_at,
  };
}

export function projectKeyView(state: EmulatorState, k: ProjectKeyRecord): T.ProjectApiKey {
  const project = state.projects.get(k.projectId);
  let owner: T.ProjectApiKey['owner'];
  let access: 'active' | 'inactive' = 'active';
  if (k.owner.type === 'user') {
    const u = state.users.get(k.owner.id);
    const m = project?.users.get(k.owner.id);
    if (!u || !m) access = 'inactive';
    owner = {
      type: 'user',
      user: {
        id: k.owner.id,
        email: u?.email ?? null,
        name: u?.name ?? null,
        created_at: m?.added_at ?? k.created_at,
        role: m?.role ?? 'member',
      },
    };
  } else {
    const s = state.serviceAccounts.get(k.owner.id);
    if (!s) access = 'inactive';
    owner = {
      type: 'service_account',
      service_account: {
        id: k.owner.id,
        name: s?.name ?? '',
        created_at: s?.created_at ?? k.created_at,
        role: s?.role ?? 'member',
      },
    };
  }
  return {
    object: 'organization.project.api_key',
    redacted_value: k.redacted_value,
    name: k.name,
    created_at: k.created_at,
    last_used_at: k.last_used_at,
    expires_at: k.expires_at,
    id: k.id,
    owner_project_access: access,
    owner,
  };
}

/** The user an admin key belongs to, as admin-key objects embed it. */
export function adminKeyOwnerView(u: UserRecord): T.AdminApiKey['owner'] {
  return { type: 'user', object: 'organization.user', id: u.id, name: u.name, created_at: u.added_at, role: u.role };
}

export function roleView(r: RoleRecord): T.Role {
  return {
    object: 'role',
    id: r.id,
    name: r.name,
    description: r.description,
    permissions: [...r.permissions],
    resource_type: r.resource_type,
    predefined_role: r.predefined,
  };
}

export function assignedRoleView(r: RoleRecord, a: RoleAssignmentRecord): T.AssignedRoleDetails {
  return {
    id: r.id,
    name: r.name,
    permissions: [...r.permissions],
    resource_type: r.resource_type,
    predefined_role: r.predefined,
    description: r.description,
    created_at: r.predefined ? null : r.created_at,
    updated_at: r.predefined ? null : r.updated_at,
    created_by: null,
    created_by_user_obj: null,
    metadata: null,
    assignment_sources: [{ principal_id: a.principalId, principal_type: a.principalType }],
  };
}

export function groupView(g: GroupRecord): T.GroupResponse {
  return { id: g.id, name: g.name, created_at: g.created_at, is_scim_managed: false, group_type: 'group' };
}

/** The `Group` shape embedded in role assignments differs from list items (`scim_managed`, `object`). */
export function groupRefView(g: GroupRecord): T.Group {
  return { object: 'group', id: g.id, name: g.name, created_at: g.created_at, scim_managed: false };
}

function certDetails(c: CertificateRecord) {
  return { valid_at: c.valid_at, expires_at: c.expires_at };
}

export function certificateView(c: CertificateRecord, includeContent = false): T.Certificate {
  return {
    object: 'certificate',
    id: c.id,
    name: c.name,
    created_at: c.created_at,
    certificate_details: includeContent ? { ...certDetails(c), content: c.content } : certDetails(c),
    active: c.active,
  };
}

export function orgCertificateView(c: CertificateRecord): T.OrganizationCertificate {
  return {
    object: 'organization.certificate',
    id: c.id,
    name: c.name,
    created_at: c.created_at,
    certificate_details: certDetails(c),
    active: c.active,
  };
}

export function projectCertificateView(c: CertificateRecord, projectId: string): T.OrganizationProjectCertificate {
  return {
    object: 'organization.project.certificate',
    id: c.id,
    name: c.name,
    created_at: c.created_at,
    certificate_details: certDetails(c),
    active: c.activeInProjects.has(projectId),
  };
}

/** A spend limit as just set: enforcement starts at once, as the API reports it. */
export function spendLimitView<O extends string>(
  object: O,
  body: { threshold_amount: number; currency: string; interval: string },
) {
  const { threshold_amount, currency, interval } = body;
  return { object, threshold_amount, currency, interval, enforcement: { status: 'enforcing' as const } };
}

/** `sk-svcacct-abc…xyz9` style: enough to recognise a key, never enough to use it. */
export function redact(value: string): string {
  const dash = value.lastIndexOf('-');
  const prefix = value.slice(0, Math.min(dash + 4, value.length - 4));
  return `${prefix}...${value.slice(-4)}`;
}
