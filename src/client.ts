import * as ops from '../generated/operations.gen.js';
import type * as T from '../generated/client/types.gen.js';
import { ClientCore } from './core/client-core.js';
import type { ClientOptions } from './core/config.js';
import type { RequestOptions } from './core/request.js';
import type { UsagePagePromise } from './core/usage.js';
import { AdminApiKeys } from './resources/admin-api-keys.js';
import { AuditLogs } from './resources/audit-logs.js';
import { Certificates } from './resources/certificates.js';
import { DataRetention } from './resources/data-retention.js';
import { Groups } from './resources/groups.js';
import { Invites } from './resources/invites.js';
import { Projects } from './resources/projects.js';
import { Roles } from './resources/roles.js';
import { SpendAlerts, SpendLimit } from './resources/spend.js';
import { Usage } from './resources/usage.js';
import { Users } from './resources/users.js';

/**
 * The OpenAI Administration API client. Every operation is reachable by a friendly name
 * (see `FRIENDLY_NAMES` in resources/naming.ts), e.g. `admin.projects.users.retrieve(projectId, userId)`.
 *
 * @example
 * import { OpenAIAdmin } from 'openai-admin';
 * const admin = new OpenAIAdmin(); // reads OPENAI_ADMIN_KEY
 * for await (const project of admin.projects.list()) console.log(project.name);
 */
export class OpenAIAdmin extends ClientCore {
  /** Projects and everything scoped to one project (users, service accounts, keys, limits, …). */
  readonly projects = new Projects(this);
  /** The members of the organization and their roles. */
  readonly users = new Users(this);
  /** Invitations to the organization. */
  readonly invites = new Invites(this);
  /** Groups of users, their members and their roles. */
  readonly groups = new Groups(this);
  /** The roles defined for the organization. */
  readonly roles = new Roles(this);
  /** The organization's admin API keys. */
  readonly adminApiKeys = new AdminApiKeys(this);
  /** User actions and configuration changes. */
  readonly auditLogs = new AuditLogs(this);
  /** mTLS certificates of the organization. */
  readonly certificates = new Certificates(this);
  /** Organization spend alerts. */
  readonly spendAlerts = new SpendAlerts(this);
  /** The organization's hard spend limit. */
  readonly spendLimit = new SpendLimit(this);
  /** The organization's data retention controls. */
  readonly dataRetention = new DataRetention(this);
  /** Usage per time bucket: `admin.usage.completions({ start_time, bucket_width: '1h' })` and so on. */
  readonly usage = new Usage(this);

  /**
   * @example
   * const admin = new OpenAIAdmin({ apiKey: process.env.OPENAI_ADMIN_KEY, maxRetries: 4, timeout: 30_000 });
   */
  constructor(options: ClientOptions = {}) {
    super(options);
  }

  /**
   * Costs per time bucket for the organization (`start_time` required). A method on the client rather than a
   * resource: `admin.costs(query)`. `for await` walks every bucket across pages; `.rows()` flattens buckets into
   * rows carrying `amount`, plus `line_item` / `project_id` when grouped by them.
   * @example
   * const start_time = Math.floor(Date.now() / 1000) - 30 * 86_400;
   * for await (const row of admin.costs({ start_time, group_by: ['line_item'] }).rows()) {
   *   console.log(row.line_item, row.amount?.value, row.amount?.currency);
   * }
   */
  costs(
    query: T.UsageCostsData['query'],
    options?: RequestOptions,
  ): UsagePagePromise<T.CostsResult, T.UsageCostsResponse> {
    return this._usage(ops.usageCosts, query, options);
  }

  /**
   * A client with some options changed (same key unless given).
   * @example
   * const patient = admin.withOptions({ timeout: 120_000 });
   */
  withOptions(options: Partial<ClientOptions>): OpenAIAdmin {
    return new OpenAIAdmin({ ...this.optionsForCopy(), ...options });
  }
}
