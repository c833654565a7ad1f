/**
 * Sensible table columns per resource, keyed by the items' `object` type; anything else shows its scalar
 * fields (at most 8). Only columns some row actually has are kept, so a narrower response still lines up.
 */
import type { Flat } from './flatten.js';

const BY_OBJECT: Record<string, string[]> = {
  'organization.project': ['id', 'name', 'status', 'created_at', 'archived_at'],
  'organization.user': ['id', 'email', 'name', 'role', 'added_at'],
  'organization.project.user': ['id', 'email', 'name', 'role', 'added_at'],
  'organization.project.service_account': ['id', 'name', 'role', 'created_at'],
  // Most useful first: a narrow terminal drops columns from the end (table.ts), so the owner outranks the type.
  'organization.project.api_key': [
    'id',
    'name',
    'owner.user.email',
    'owner.service_account.name',
    'redacted_value',
    'owner.type',
    'last_used_at',
    'created_at',
    'expires_at',
  ],
  'organization.admin_api_key': [
    'id',
    'name',
    'redacted_value',
    'owner.name',
    'owner.role',
    'last_used_at',
    'created_at',
  ],
  'organization.invite': ['id', 'email', 'role', 'status', 'invited_at', 'expires_at'],
  'organization.audit_log': [
    'effective_at',
    'type',
    'actor.type',
    'actor.session.user.email',
    'actor.api_key.id',
    'project.name',
    'id',
  ],
  'project.rate_limit': [
    'id',
    'model',
    'max_requests_per_1_minute',
    'max_tokens_per_1_minute',
    'max_requests_per_1_day',
  ],
  group: ['id', 'name', 'created_at', 'is_scim_managed'],
  role: ['id', 'name', 'description', 'predefined_role'],
  certificate: ['id', 'name', 'active', 'certificate_details.expires_at', 'created_at'],
};

const MAX_GENERIC = 8;

/** The object type each list operation returns (for the columns of an empty list). */
export const LIST_OBJECT: Record<string, string> = {
  listAdminApiKeys: 'organization.admin_api_key',
  listAuditLogs: 'organization.audit_log',
  listOrganizationCertificates: 'certificate',
  listProjectCertificates: 'certificate',
  listGroups: 'group',
  listInvites: 'organization.invite',
  listProjects: 'organization.project',
  listProjectApiKeys: 'organization.project.api_key',
  listProjectRateLimits: 'project.rate_limit',
  listProjectServiceAccounts: 'organization.project.service_account',
  listProjectUsers: 'organization.project.user',
  listRoles: 'role',
  listProjectRoles: 'role',
  listUsers: 'organization.user',
};

/** The columns of a known object type (the header of an empty `--csv` list). */
export const columnsOfObject = (object: string): readonly string[] | undefined => BY_OBJECT[object];

/** The columns a table shows for these rows; `all` (--wide): every scalar column of unknown objects, not 8. */
export function defaultColumns(rows: readonly Flat[], options: { all?: boolean } = {}): string[] {
  const present = new Set<string>();
  for (const r of rows) for (const [k, v] of Object.entries(r)) if (v !== undefined && v !== null) present.add(k);
  const object = rows.find((r) => typeof r.object === 'string')?.object as string | undefined;
  const known = object ? BY_OBJECT[object] : undefined;
  if (known) {
    const cols = known.filter((c) => present.has(c));
    if (cols.length) return cols;
  }
  const scalar = [...present].filter(
    (k) => k !== 'object' && rows.some((r) => r[k] === null || typeof r[k] !== 'object'),
  );
  // Usage and costs rows: the whole row is the point (time range, group fields, metrics).
  if (present.has('start_time') && present.has('end_time')) return scalar;
  return options.all ? scalar : scalar.slice(0, MAX_GENERIC);
}
