/**
 * applyPlan: carries out a plan against the organisation, in dependency order, independent changes concurrently
 * (the client's pacing decides how fast requests go out and waits out 429s), each change sending only the
 * fields that differ.
 *
 * Order, in four phases: (1) groups and projects are created, project fields and organisation roles updated,
 * invites to be re-sent revoked; (2) everything inside them: invites (with their projects), group members,
 * project users and groups, service accounts, rate limits; (3) memberships and service accounts removed, invites
 * revoked; (4) groups deleted, projects archived, users removed. A failed change fails the changes that need it
 * (a project that was not created gets no members) and nothing else.
 *
 * Resumable: apply holds no state of its own. Killed at any point, the organisation is left with some changes
 * made; a new plan reads it again and lists only what is still missing, so the next apply converges without
 * duplicates (creates are matched by natural key on the next read). One thing cannot be recovered: the API key
 * of a service account created just before the kill exists only in that lost create response (see onKey).
 */
import type { OpenAIAdmin } from '../client.js';
import { ConflictError, type UpdateProjectDataRetentionBody } from '../index.js';
import { RATE_LIMIT_FIELDS, type RateLimitField } from './model.js';
import type { Change, OrgPlan } from './plan.js';
import { inPool } from './pool.js';
import { applySettingsChange, isSettingsChange } from './spend-settings.js';
import { applyPermissionsChange, isPermissionsChange } from './permissions.js';
import { applyCertificateChange, isCertificateChange, isCertificateUpload } from './certificates.js';
import { carryRole, rolePhaseOf } from './roles.js';

/** Roles as the file's schema checked them (Target.role is one string field for every kind of member). */
type OrgRole = 'owner' | 'reader';
type ProjectRole = 'owner' | 'member';

type RetentionType = UpdateProjectDataRetentionBody['retention_type'];

/** A service-account key made by apply: handed to onKey once, never kept, logged or put in a plan. */
export interface CreatedKey {
  project: string;
  service_account: string;
  service_account_id: string;
  key_id: string;
  /** The secret. */
  value: string;
}

export interface ApplyOptions {
  /**
   * Receives the API key of every service account apply creates (the API shows it once, in the create response).
   * Required when the plan creates service accounts: apply refuses before sending anything otherwise.
   */
  onKey?: (key: CreatedKey) => void | Promise<void>;
  /** Changes in flight at once (default 4). */
  concurrency?: number;
  /** Called as each change completes or fails, for progress and logs (never given a key). */
  onChange?: (change: Change, outcome: 'done' | 'failed', error?: unknown) => void;
}

export interface ApplyResult {
  done: Change[];
  failed: Array<{ change: Change; error: unknown }>;
}

/** Which phase a change runs in (see the module comment). */
export function phaseOf(c: Change): 1 | 2 | 3 | 4 {
  // Certificates are uploaded before any activation needs their ids (certificates.ts).
  if (isCertificateUpload(c)) return 1;
  // Custom roles and their assignments (src/org/roles.ts): roles in 1 (org) and 2 (project), assignments in 3.
  const rolePhase = rolePhaseOf(c);
  if (rolePhase) return rolePhase;
  if (c.action === 'delete') return c.type === 'group' || c.type === 'project' || c.type === 'user' ? 4 : 3;
  if (c.type === 'group' || c.type === 'user') return 1;
  if (c.type === 'project')
    return c.action === 'update' && Object.keys(c.fields).every((f) => f === 'archived') ? 4 : 1;
  return 2;
}

/**
 * Applies a plan (from {@link planOrg}). Resolves with what was done and what failed; never throws for one
 * failed change (a failed change does not stop independent ones).
 *
 * @example
 * ```ts
 * import { OpenAIAdmin } from 'openai-admin';
 * import { applyPlan, planOrg, readOrg, sectionsOf } from 'openai-admin/org';
 * const admin = new OpenAIAdmin();
 * const plan = planOrg(desired, await readOrg(admin, { only: sectionsOf(desired) }));
 * const { failed } = await applyPlan(admin, plan, { onKey: (k) => saveSecret(k.service_account, k.value) });
 * ```
 */
export async function applyPlan(admin: OpenAIAdmin, plan: OrgPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
  if (!options.onKey && plan.changes.some((c) => c.type === 'service_account' && c.action === 'create'))
    throw new TypeError(
      'the plan creates service accounts, whose API keys exist only in the create response: pass onKey (CLI: --keys-out FILE)',
    );
  const run = new Run(admin, options);
  for (const c of plan.changes) {
    if (c.target.projectId && c.target.project) run.projectIds.set(c.target.project, c.target.projectId);
    if (c.target.groupId && c.target.group) run.groupIds.set(c.target.group, c.target.groupId);
  }
  for (const phase of [1, 2, 3, 4] as const) {
    const changes = plan.changes.filter((c) => phaseOf(c) === phase);
    await inPool(changes, options.concurrency ?? 4, (c) => run.one(c));
  }
  return { done: run.done, failed: run.failed };
}

class Run {
  readonly projectIds = new Map<string, string>();
  readonly groupIds = new Map<string, string>();
  /** Certificates uploaded in this run, by name (certificates.ts). */
  readonly certificateIds = new Map<string, string>();
  /** Custom roles created in this run (src/org/roles.ts). */
  readonly roleIds = new Map<string, string>();
  readonly done: Change[] = [];
  readonly failed: ApplyResult['failed'] = [];
  readonly #limits = new Map<
    string,
    Promise<Array<{ id: string; model: string } & Partial<Record<RateLimitField, number>>>>
  >();

  constructor(
    readonly admin: OpenAIAdmin,
    readonly options: ApplyOptions,
  ) {}

  async one(c: Change): Promise<void> {
    try {
      await this.carry(c);
      this.done.push(c);
      this.options.onChange?.(c, 'done');
    } catch (error) {
      this.failed.push({ change: c, error });
      this.options.onChange?.(c, 'failed', error);
    }
  }

  project(c: Change): string {
    const id = c.target.projectId ?? this.projectIds.get(c.target.project ?? '');
    if (!id) throw new Error(`${c.key}: its project was not created (see the project's own failure)`);
    return id;
  }

  group(c: Change): string {
    const id = c.target.groupId ?? this.groupIds.get(c.target.group ?? '');
    if (!id) throw new Error(`${c.key}: group "${c.target.group}" was not created (see the group's own failure)`);
    return id;
  }

  /** A membership add that finds the member already there (a retried or resumed run) is done, not failed. */
  async idempotent(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }

  async carry(c: Change): Promise<void> {
    const { admin } = this;
    const t = c.target;
    if (isSettingsChange(c)) return applySettingsChange(admin, c, () => this.project(c));
    if (isPermissionsChange(c)) return applyPermissionsChange(admin, c, () => this.project(c));
    if (isCertificateChange(c)) return applyCertificateChange(admin, c, () => this.project(c), this.certificateIds);
    // Custom roles and their assignments (src/org/roles.ts).
    if (rolePhaseOf(c)) return carryRole(this, c);
    switch (`${c.type}:${c.action}`) {
      case 'user:update':
        return void (await admin.users.update(t.userId!, { role: t.role as OrgRole }));
      case 'user:delete':
        return void (await admin.users.delete(t.userId!));
      case 'invite:create':
        return void (await admin.invites.create(this.inviteBody(c)));
      case 'invite:update':
        // An invite cannot be changed: revoke, then send again (a kill in between leaves no invite: the next plan sends one).
        await admin.invites.delete(t.inviteId!);
        return void (await admin.invites.create(this.inviteBody(c)));
      case 'invite:delete':
        return void (await admin.invites.delete(t.inviteId!));
      case 'group:create': {
        const g = await admin.groups.create({ name: t.group! });
        this.groupIds.set(t.group!, g.id);
        return;
      }
      case 'group:delete':
        return void (await admin.groups.delete(t.groupId!));
      case 'group_member:create':
        return this.idempotent(() => admin.groups.users.add(this.group(c), { user_id: t.userId! }));
      case 'group_member:delete':
        return void (await admin.groups.users.remove(t.groupId!, t.userId!));
      case 'project:create': {
        const p = await admin.projects.create({
          name: t.projectName!,
          ...(t.external_key_id != null ? { external_key_id: t.external_key_id } : {}),
        });
        this.projectIds.set(t.project!, p.id);
        // A new project follows the organisation's retention; anything else is set right after.
        if (t.data_retention !== undefined && t.data_retention !== 'organization_default')
          await admin.projects.dataRetention.update(p.id, { retention_type: t.data_retention as RetentionType });
        // Archived in the file: archived right away (nothing can be added to it afterwards anyway).
        if (t.archive) await admin.projects.archive(p.id);
        return;
      }
      case 'project:update':
        if ('external_key_id' in c.fields)
          await admin.projects.update(t.projectId!, { external_key_id: t.external_key_id ?? null });
        if ('data_retention' in c.fields)
          await admin.projects.dataRetention.update(t.projectId!, {
            retention_type: t.data_retention as RetentionType,
          });
        if (t.archive) await admin.projects.archive(t.projectId!);
        return;
      case 'project:delete':
        return void (await admin.projects.archive(t.projectId!));
      case 'project_user:create':
        return this.idempotent(() =>
          admin.projects.users.add(this.project(c), { user_id: t.userId!, role: t.role as ProjectRole }),
        );
      case 'project_user:update':
        return void (await admin.projects.users.update(t.projectId!, t.userId!, { role: t.role as ProjectRole }));
      case 'project_user:delete':
        return void (await admin.projects.users.remove(t.projectId!, t.userId!));
      case 'project_group:create':
        return this.idempotent(() =>
          admin.projects.groups.add(this.project(c), { group_id: this.group(c), role: t.role! }),
        );
      case 'project_group:delete':
        return void (await admin.projects.groups.remove(t.projectId!, t.groupId!));
      case 'service_account:create': {
        const projectId = this.project(c);
        const s = await admin.projects.serviceAccounts.create(projectId, { name: t.name! });
        if (s.api_key)
          await this.options.onKey!({
            project: t.projectName!,
            service_account: s.name,
            service_account_id: s.id,
            key_id: s.api_key.id,
            value: s.api_key.value,
          });
        if (t.role && t.role !== s.role)
          await admin.projects.serviceAccounts.update(projectId, s.id, { role: t.role as 'owner' | 'member' });
        return;
      }
      case 'service_account:update':
        return void (await admin.projects.serviceAccounts.update(t.projectId!, t.serviceAccountId!, {
          role: t.role as 'owner' | 'member',
        }));
      case 'service_account:delete':
        return void (await admin.projects.serviceAccounts.delete(t.projectId!, t.serviceAccountId!));
      case 'rate_limit:update':
        return this.rateLimit(c);
      default:
        throw new Error(`${c.key}: apply does not know how to ${c.action} a ${c.type}`);
    }
  }

  inviteBody(c: Change) {
    const t = c.target;
    return {
      email: t.email!,
      role: t.role as 'owner' | 'reader',
      ...(t.projects
        ? {
            projects: t.projects.map((p) => ({
              id: this.projectIds.get(p.project) ?? p.project,
              role: p.role as 'owner' | 'member',
            })),
          }
        : {}),
    };
  }

  /** Sends only the fields that differ; for a project created in this run, its limits are read first. */
  async rateLimit(c: Change): Promise<void> {
    const t = c.target;
    const projectId = this.project(c);
    let id = t.rateLimitId;
    let values = { ...t.values };
    if (!id) {
      const limits = this.#limits.get(projectId) ?? this.readLimits(projectId);
      this.#limits.set(projectId, limits);
      const live = (await limits).find((r) => r.model === t.model);
      if (!live) throw new Error(`${c.key}: the project has no rate limit for model ${t.model} (none can be created)`);
      id = live.id;
      values = Object.fromEntries(Object.entries(values).filter(([f, v]) => live[f as RateLimitField] !== v));
      if (!Object.keys(values).length) return;
    }
    await this.admin.projects.rateLimits.update(projectId, id, values);
  }

  async readLimits(projectId: string) {
    const out: Array<{ id: string; model: string } & Partial<Record<RateLimitField, number>>> = [];
    for await (const r of this.admin.projects.rateLimits.list(projectId, { limit: 100 })) {
      const item: (typeof out)[number] = { id: r.id, model: r.model };
      for (const f of RATE_LIMIT_FIELDS) if (typeof r[f] === 'number') item[f] = r[f];
      out.push(item);
    }
    return out;
  }
}

/**
 * The entries of a saved plan whose live state is no longer what the plan was made against: compared with a
 * fresh plan of the same file, each saved change must still be there with the same before-state and fields.
 * Empty when the saved plan still holds. Pure.
 *
 * @example
 * ```ts
 * const fresh = planOrg(saved.desired, await readOrg(admin, { only: saved.sections }), { prune: saved.prune });
 * const stale = staleEntries(saved, fresh); // ['project "Production" › user ada@example.com', …]
 * ```
 */
export function staleEntries(saved: OrgPlan, fresh: OrgPlan): string[] {
  const now = new Map(fresh.changes.map((c) => [`${c.type} ${c.key}`, c]));
  const same = (a: Change, b: Change) =>
    a.action === b.action &&
    JSON.stringify(a.before) === JSON.stringify(b.before) &&
    JSON.stringify(a.fields) === JSON.stringify(b.fields);
  return saved.changes
    .filter((c) => {
      const f = now.get(`${c.type} ${c.key}`);
      return !f || !same(c, f);
    })
    .map((c) => c.key);
}

/** The changes of a fresh plan that a saved plan lists (apply --plan carries out these, not the file's text). */
export function savedSubset(saved: OrgPlan, fresh: OrgPlan): OrgPlan {
  const wanted = new Set(saved.changes.map((c) => `${c.type} ${c.key}`));
  return { ...fresh, changes: fresh.changes.filter((c) => wanted.has(`${c.type} ${c.key}`)) };
}
