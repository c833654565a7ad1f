import type * as T from '../../generated/client/types.gen.js';
import { archived, notFound } from './errors.js';
import { BoundedMap, COLLECTION_LIMITS as MAX, MAX_AUDIT_EVENTS } from './limits.js';
import { Rng } from './random.js';

/** An org member as the emulator keeps it. */
export interface UserRecord {
  id: string;
  name: string | null;
  email: string | null;
  role: 'owner' | 'reader';
  added_at: number;
}

export interface ProjectRecord {
  id: string;
  name: string;
  created_at: number;
  archived_at: number | null;
  external_key_id: string | null;
  residency: T.PublicProjectResidency | null;
  /** Seeded projects form the stable population that usage and costs are synthesised for. */
  seeded: boolean;
  dataRetention: T.ProjectDataRetention['type'];
  hostedTools: Record<keyof T.ProjectHostedToolPermissions, boolean>;
  modelPermissions: { mode: 'allow_list' | 'deny_list'; model_ids: string[] };
  spendLimit: T.ProjectSpendLimitResource | null;
  users: Map<string, { role: string; added_at: number }>;
  groups: Map<string, { role: string; created_at: number }>;
  rateLimits: T.ProjectRateLimit[];
  spendAlerts: Map<string, T.ProjectSpendAlert>;
}

export interface ServiceAccountRecord {
  id: string;
  projectId: string;
  name: string;
  role: 'owner' | 'member';
  created_at: number;
}

/** Only the redacted form of a key is kept: the full value exists once, in the create response. */
export interface ProjectKeyRecord {
  id: string;
  projectId: string;
  name: string | null;
  redacted_value: string;
  created_at: number;
  last_used_at: number | null;
  /** Unix seconds after which the key no longer works (null: never). An expired key is gone for the API. */
  expires_at: number | null;
  owner: { type: 'user'; id: string } | { type: 'service_account'; id: string };
  /** Seeded keys are the ones synthetic usage is attributed to (usage.ts): a key made later has none. */
  seeded?: boolean;
}

/** Whether a key's expiry has passed at `now` (an expired key is neither listed nor found, like a deleted one). */
export const isExpired = (k: Pick<ProjectKeyRecord, 'expires_at'>, now: number): boolean =>
  k.expires_at !== null && k.expires_at <= now;

export interface RoleRecord {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  resource_type: 'api.organization' | 'api.project';
  predefined: boolean;
  /** Null for organization roles and for the predefined project roles every project shares. */
  projectId: string | null;
  created_at: number;
  updated_at: number;
}

export interface RoleAssignmentRecord {
  /** 'org' or a project id. */
  scope: string;
  principalType: 'user' | 'group';
  principalId: string;
  roleId: string;
  created_at: number;
}

export interface GroupRecord {
  id: string;
  name: string;
  created_at: number;
  members: Map<string, number>;
}

export interface CertificateRecord {
  id: string;
  name: string | null;
  created_at: number;
  valid_at: number;
  expires_at: number;
  content: string;
  active: boolean;
  activeInProjects: Set<string>;
}

/**
 * `map.get(id)`, or the 404 every lookup by id answers with. `belongs` narrows further, for records
 * that exist but live elsewhere (another project's key is "not found" here too).
 */
export function found<V>(
  map: ReadonlyMap<string, V>,
  id: string,
  what: string,
  param: string,
  belongs: (v: V) => boolean = () => true,
): V {
  const v = map.get(id);
  if (v === undefined || !belongs(v)) throw notFound(what, id, param);
  return v;
}

/**
 * Who the audit log says made each change in a state nobody seeded. A seeded state names its own admin key and
 * that key's owner instead (EmulatorState.actor), so every actor is in `admin-api-keys list` and `users list`.
 */
export const EMULATOR_ACTOR: T.AuditLogActor = {
  type: 'api_key',
  api_key: {
    id: 'key_emulatoradmin000000000',
    type: 'user',
    user: { id: 'user_emulatoradmin0000000000', email: 'admin@example.com' },
  },
};

/**
 * The whole in-memory organisation. Maps keep insertion order, which is the order lists page in.
 * Public so tests and seeding helpers can inspect or arrange state directly.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ seed: 1 });
 * const [projectId] = emu.state.projects.keys();
 * await myProvisioningScript(emu.url, projectId);
 * expect(emu.state.auditLogs.map((e) => e.type)).toContain('user.added');
 * ```
 */
export class EmulatorState {
  readonly rng: Rng;
  // Every collection is bounded (limits.ts): a create past its bound is a 400 that stores nothing.
  readonly users = new BoundedMap<string, UserRecord>(MAX.users, 'users');
  readonly projects = new BoundedMap<string, ProjectRecord>(MAX.projects, 'projects');
  readonly serviceAccounts = new BoundedMap<string, ServiceAccountRecord>(MAX.serviceAccounts, 'service accounts');
  readonly projectKeys = new BoundedMap<string, ProjectKeyRecord>(MAX.projectKeys, 'project API keys');
  readonly invites = new BoundedMap<string, T.Invite>(MAX.invites, 'invites');
  readonly groups = new BoundedMap<string, GroupRecord>(MAX.groups, 'groups');
  readonly roles = new BoundedMap<string, RoleRecord>(MAX.roles, 'roles');
  readonly roleAssignments = new BoundedMap<string, RoleAssignmentRecord>(MAX.roleAssignments, 'role assignments');
  readonly adminKeys = new BoundedMap<string, T.AdminApiKey>(MAX.adminKeys, 'admin API keys');
  readonly certificates = new BoundedMap<string, CertificateRecord>(MAX.certificates, 'certificates');
  readonly orgSpendAlerts = new BoundedMap<string, T.OrganizationSpendAlert>(MAX.spendAlerts, 'spend alerts');
  orgSpendLimit: T.OrganizationSpendLimitResource | null = null;
  orgDataRetention: T.OrganizationDataRetention['type'] = 'zero_data_retention';
  /** Who audit events name as their actor: the emulator has one admin caller (seedState sets its real key). */
  actor: T.AuditLogActor = EMULATOR_ACTOR;
  /** Oldest first; listed newest first like the real audit log. The oldest go past MAX_AUDIT_EVENTS. */
  readonly auditLogs: T.AuditLog[] = [];

  /**
   * @param clock milliseconds since the epoch: the emulator's clock (`startEmulator({ now })`), so that tests
   *   can move time by hand; `Date.now` by default.
   */
  constructor(
    readonly seed: string,
    readonly clock: () => number = Date.now,
  ) {
    this.rng = new Rng(`${seed}|ids`);
  }

  /** Unix seconds by the emulator's clock; a method so a test can also replace it on the instance. */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** Realistic ids such as `proj_Ab3…` (24 characters after the prefix, like the real ones). */
  newId(prefix: string, length = 24): string {
    return `${prefix}${this.rng.alnum(length)}`;
  }

  project(id: string): ProjectRecord {
    return found(this.projects, id, 'project', 'project_id');
  }

  /** A project that may be changed: archived projects are read-only, as upstream. */
  activeProject(id: string): ProjectRecord {
    const p = this.project(id);
    if (p.archived_at !== null) throw archived(id);
    return p;
  }

  user(id: string): UserRecord {
    return found(this.users, id, 'user', 'user_id');
  }

  group(id: string): GroupRecord {
    return found(this.groups, id, 'group', 'group_id');
  }

  /** A project's member with their membership; 404 if they are not in the project. */
  projectMember(p: ProjectRecord, userId: string): { user: UserRecord; m: { role: string; added_at: number } } {
    const m = found(p.users, userId, 'user in this project', 'user_id');
    return { user: this.user(userId), m };
  }

  /** Removes every role assignment `pred` matches (deleting while iterating a Map is safe). */
  dropAssignments(pred: (a: RoleAssignmentRecord) => boolean): void {
    for (const [key, a] of this.roleAssignments) if (pred(a)) this.roleAssignments.delete(key);
  }

  /** Audits a role being assigned to, or unassigned from, a principal in `scope` ('org' or a project id). */
  auditAssignment(
    change: 'created' | 'deleted',
    id: string,
    principalType: 'user' | 'group',
    principalId: string,
    scope: string,
  ): void {
    const org = scope === 'org';
    this.audit(
      `role.assignment.${change}`,
      {
        id,
        principal_id: principalId,
        principal_type: principalType,
        resource_id: scope,
        resource_type: org ? 'api.organization' : 'api.project',
      },
      org ? undefined : scope,
    );
  }

  /**
   * Appends an audit event; every mutation calls this so the audit log tells the whole story. `at` (Unix seconds,
   * default now) dates the events of seeded history; they must be appended oldest first.
   */
  audit(type: string, details: Record<string, unknown>, projectId?: string, at: number = this.now()): T.AuditLog {
    const project = projectId ? this.projects.get(projectId) : undefined;
    const event = {
      id: this.newId('audit_log-'),
      type,
      effective_at: at,
      ...(project ? { project: { id: project.id, name: project.name } } : {}),
      actor: this.actor,
      [type]: details,
    } as T.AuditLog;
    this.auditLogs.push(event);
    if (this.auditLogs.length > MAX_AUDIT_EVENTS) this.auditLogs.splice(0, this.auditLogs.length - MAX_AUDIT_EVENTS);
    return event;
  }
}
