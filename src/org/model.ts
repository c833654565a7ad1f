/**
 * The org file (what `openai-admin export` writes and `plan`/`apply` read) and the live organisation as read
 * from the API. Entries are keyed by natural keys — email, group name, project name, service-account name,
 * model — never by ids, so one file can be applied to another organisation. Its JSON Schema is generated from
 * openapi.yaml (generated/org-file.schema.json); these types describe the same shape.
 */
import type {
  LiveRoles,
  OrgFileProjectRole,
  OrgFileProjectRoleAssignment,
  OrgFileRole,
  OrgFileRoleAssignment,
} from './roles-model.js';

/** A rate limit's writable fields (ProjectRateLimitUpdateRequest). */
export const RATE_LIMIT_FIELDS = [
  'max_requests_per_1_minute',
  'max_tokens_per_1_minute',
  'max_images_per_1_minute',
  'max_audio_megabytes_per_1_minute',
  'max_requests_per_1_day',
  'batch_1_day_max_input_tokens',
] as const;
export type RateLimitField = (typeof RATE_LIMIT_FIELDS)[number];

export interface OrgFileUser {
  email: string;
  role: 'owner' | 'reader';
}
export interface OrgFileInvite {
  email: string;
  role: 'owner' | 'reader';
  projects?: Array<{ project: string; role: 'owner' | 'member' }>;
}
export interface OrgFileGroup {
  name: string;
  members?: string[];
}
export interface OrgFileProjectUser {
  email: string;
  role: 'owner' | 'member';
}
export interface OrgFileProjectGroup {
  group: string;
  /** Sent when the group is added (default member); the API does not report it back, so it is never compared. */
  role?: string;
}
export interface OrgFileServiceAccount {
  name: string;
  /** Only when the project has several service accounts with this name. */
  id?: string;
  role?: 'owner' | 'member';
}
export type OrgFileRateLimit = { model: string } & Partial<Record<RateLimitField, number>>;
export interface OrgFileProject {
  name: string;
  /** Only when the organisation has several projects with this name. */
  id?: string;
  archived?: boolean;
  external_key_id?: string | null;
  /** The project's data retention (retention_type); `organization_default` follows the organisation. */
  data_retention?: string;
  users?: OrgFileProjectUser[];
  groups?: OrgFileProjectGroup[];
  service_accounts?: OrgFileServiceAccount[];
  rate_limits?: OrgFileRateLimit[];
}

/**
 * An org file. A section left out is not managed: `plan` ignores that type, and `--prune` removes nothing of it.
 * Within an entry, a field left out is not managed either.
 */
export interface OrgFile {
  version: 1;
  users?: OrgFileUser[];
  invites?: OrgFileInvite[];
  groups?: OrgFileGroup[];
  projects?: OrgFileProject[];
  /** Read-only: exported for the record, never planned or applied. */
  admin_api_keys?: Array<{ name: string | null; owner?: string | null }>;
  // Custom roles and their assignments (src/org/roles.ts).
  roles?: OrgFileRole[];
  role_assignments?: OrgFileRoleAssignment[];
  project_roles?: OrgFileProjectRole[];
  project_role_assignments?: OrgFileProjectRoleAssignment[];
}

/** The sections `export --only` can choose. */
export const ORG_SECTIONS = [
  'users',
  'invites',
  'groups',
  'projects',
  'admin_api_keys',
  // The organisation's own settings (spend-settings.ts).
  'spend_limit',
  'spend_alerts',
  'data_retention',
  // Certificates (certificates.ts).
  'certificates',
  // Custom roles and their assignments (src/org/roles.ts).
  'roles',
  'role_assignments',
  'project_roles',
  'project_role_assignments',
] as const;
export type OrgSection = (typeof ORG_SECTIONS)[number];

/** The live organisation, with the ids apply needs. Plain JSON (a saved plan carries the parts it read). */
export interface LiveOrg {
  /** The sections that were read. */
  sections: OrgSection[];
  users: Array<{ id: string; email: string; role: string }>;
  /** Pending invites only (accepted and expired ones cannot be changed). */
  invites: Array<{ id: string; email: string; role: string; projects: Array<{ id: string; role: string }> }>;
  groups: Array<{ id: string; name: string; members: Array<{ id: string; email: string }> }>;
  projects: LiveProject[];
  adminApiKeys: Array<{ name: string | null; owner: string | null }>;
  /** Entries that could not be keyed (a user without an email): left alone, said here. */
  notes: string[];
  /** Custom roles and assignments, when a role section was read (src/org/roles.ts). */
  roles?: LiveRoles;
}

export interface LiveProject {
  id: string;
  name: string;
  archived: boolean;
  external_key_id: string | null;
  /** The retention type; null when not read (archived). */
  dataRetention: string | null;
  /** Empty for an archived project: its children cannot change and are not read. */
  users: Array<{ id: string; email: string; role: string }>;
  groups: Array<{ id: string; name: string }>;
  serviceAccounts: Array<{ id: string; name: string; role: string }>;
  rateLimits: Array<{ id: string; model: string } & Partial<Record<RateLimitField, number>>>;
}

// --- Spend limits, spend alerts and the organisation's data retention (planned in spend-settings.ts) ---
// Declared as additions to the interfaces above (TypeScript merges same-named interfaces of one module), so each
// kind of setting keeps its fields in a block of its own.

/** A hard spend limit (UpdateOrganizationSpendLimitBody / UpdateProjectSpendLimitBody): amounts in cents. */
export interface OrgFileSpendLimit {
  threshold_amount: number;
  currency: 'USD';
  interval: 'month';
}

/**
 * A spend alert (CreateSpendAlertBody). Keyed by its threshold, currency and interval: an alert has no name, and
 * "the 50 USD monthly alert" is how people tell them apart. A changed threshold is another alert (create, and
 * with --prune the old one deleted); a changed notification channel is an update.
 */
export interface OrgFileSpendAlert {
  threshold_amount: number;
  currency: 'USD';
  interval: 'month';
  /** Only when the organisation (or project) has several alerts with this threshold: says which one. */
  id?: string;
  notification_channel: { type: 'email'; recipients: string[]; subject_prefix?: string | null };
}

/** The spend settings an org file can give the organisation or a project. */
export interface OrgFileSpendSettings {
  /** The hard spend limit; `null`: none (an existing one is removed with --prune only). Left out: not managed. */
  spend_limit?: OrgFileSpendLimit | null;
  spend_alerts?: OrgFileSpendAlert[];
}

export interface OrgFile extends OrgFileSpendSettings {
  /** The organisation's data retention type (it has no default to reset to: never pruned). */
  data_retention?: string;
}
export interface OrgFileProject {
  spend_limit?: OrgFileSpendSettings['spend_limit'];
  spend_alerts?: OrgFileSpendSettings['spend_alerts'];
}

/** The sections of the organisation's own settings (`export --only` can choose them too). */
export const ORG_SETTING_SECTIONS = ['spend_limit', 'spend_alerts', 'data_retention'] as const;
export type OrgSettingSection = (typeof ORG_SETTING_SECTIONS)[number];

export interface LiveSpendLimit {
  threshold_amount: number;
  currency: string;
  interval: string;
}
export interface LiveSpendAlert {
  id: string;
  threshold_amount: number;
  currency: string;
  interval: string;
  notification_channel: { type: string; recipients: string[]; subject_prefix: string | null };
}
/** Spend settings as read: undefined when not read (the section was not asked for, or the project is archived). */
export interface LiveSpendSettings {
  spendLimit?: LiveSpendLimit | null;
  spendAlerts?: LiveSpendAlert[];
}

export interface LiveOrg extends LiveSpendSettings {
  /** The organisation's data retention type; undefined when not read. */
  dataRetention?: string;
}
export interface LiveProject {
  spendLimit?: LiveSpendSettings['spendLimit'];
  spendAlerts?: LiveSpendSettings['spendAlerts'];
}

// --- A project's model and hosted-tool permissions (planned in permissions.ts) ---
export interface OrgFileProject {
  /** Which models the project may use: `deny_list` with no models allows all (the default). Updated whole. */
  model_permissions?: { mode: 'allow_list' | 'deny_list'; model_ids: string[] };
  /** Hosted tools on (true) or off, by tool: file_search, web_search, image_generation, mcp, code_interpreter. */
  hosted_tools?: Partial<
    Record<'file_search' | 'web_search' | 'image_generation' | 'mcp' | 'code_interpreter', boolean>
  >;
}
export interface LiveProject {
  /** Undefined when not read (archived). Model ids sorted. */
  modelPermissions?: { mode: string; model_ids: string[] };
  hostedTools?: Partial<
    Record<'file_search' | 'web_search' | 'image_generation' | 'mcp' | 'code_interpreter', boolean>
  >;
}

// --- Certificates and their activation (planned in certificates.ts) ---
export interface OrgFile {
  /** The organisation's certificates, by name, with their PEM (public) and organisation-wide activation. */
  certificates?: Array<{ name: string; id?: string; active?: boolean; certificate: string }>;
}
export interface OrgFileProject {
  /** The certificates active in the project, by name (by id where two share a name). */
  certificates?: string[];
}
export interface LiveOrg {
  /** Undefined when not read. PEM normalised (line endings, blanks). */
  certificates?: Array<{ id: string; name: string; active: boolean; content: string }>;
}
export interface LiveProject {
  /** The certificates active in the project; undefined when not read (archived). */
  activeCertificates?: Array<{ id: string; name: string }>;
}
