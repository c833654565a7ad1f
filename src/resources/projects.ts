import * as ops from '../../generated/operations.gen.js';
import type * as T from '../../generated/client/types.gen.js';
import type { APIPromise } from '../core/api-promise.js';
import type { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/request.js';
import { APIResource, type ItemOf } from './base.js';
import { ProjectCertificates } from './certificates.js';
import { ProjectDataRetention } from './data-retention.js';
import { ProjectHostedToolPermissions, ProjectModelPermissions } from './permissions.js';
import { ProjectApiKeys } from './project-api-keys.js';
import { ProjectGroups } from './project-groups.js';
import { ProjectUsers } from './project-users.js';
import { ProjectRateLimits } from './rate-limits.js';
import { ProjectRoles } from './roles.js';
import { ProjectServiceAccounts } from './service-accounts.js';
import { ProjectSpendAlerts, ProjectSpendLimit } from './spend.js';

/** `admin.projects`: the projects of the organization and everything scoped to one project. */
export class Projects extends APIResource {
  /** The members of a project. */
  readonly users = new ProjectUsers(this._client);

  /** Non-human members of a project, each with its own API keys. */
  readonly serviceAccounts = new ProjectServiceAccounts(this._client);

  /** The API keys of a project (user and service-account keys). */
  readonly apiKeys = new ProjectApiKeys(this._client);

  /** Per-model rate limits of a project. */
  readonly rateLimits = new ProjectRateLimits(this._client);

  /** The groups that have access to a project. */
  readonly groups = new ProjectGroups(this._client);

  /** The roles defined for one project. */
  readonly roles = new ProjectRoles(this._client);

  /** Which organization certificates are active for a project. */
  readonly certificates = new ProjectCertificates(this._client);

  /** The models a project may use (allow or deny list). */
  readonly modelPermissions = new ProjectModelPermissions(this._client);

  /** The hosted tools (web search, file search, …) a project may use. */
  readonly hostedToolPermissions = new ProjectHostedToolPermissions(this._client);

  /** E-mail alerts when a project's monthly spend crosses a threshold. */
  readonly spendAlerts = new ProjectSpendAlerts(this._client);

  /** The hard monthly spend limit of a project. */
  readonly spendLimit = new ProjectSpendLimit(this._client);

  /** The data retention controls of a project. */
  readonly dataRetention = new ProjectDataRetention(this._client);

  /**
   * Lists projects (active only unless `include_archived`). Await for the first page, iterate for every item.
   * @example
   * for await (const project of admin.projects.list({ include_archived: true })) console.log(project.id, project.name);
   */
  list(query?: T.ListProjectsData['query'], options?: RequestOptions): PagePromise<ItemOf<T.ListProjectsResponse>, T.ListProjectsResponse> {
    return this._client._list(ops.listProjects, { query }, options);
  }

  /**
   * Create a new project in the organization. Projects can be created and archived, but cannot be deleted. Not
   * retried after an ambiguous failure, so it is never created twice.
   * @example
   * const project = await admin.projects.create({ name: 'Data science' });
   */
  create(body: T.CreateProjectData['body'], options?: RequestOptions): APIPromise<T.CreateProjectResponse> {
    return this._client._call(ops.createProject, { body }, options);
  }

  /**
   * Retrieves a project.
   * @example
   * const project = await admin.projects.retrieve('proj_abc');
   */
  retrieve(projectId: string, options?: RequestOptions): APIPromise<T.RetrieveProjectResponse> {
    return this._client._call(ops.retrieveProject, { path: { project_id: projectId } }, options);
  }

  /**
   * Modifies a project in the organization.
   * @example
   * const project = await admin.projects.update('proj_abc', { name: 'Data science (EU)' });
   */
  update(projectId: string, body: T.UpdateProjectData['body'], options?: RequestOptions): APIPromise<T.UpdateProjectResponse> {
    return this._client._call(ops.updateProject, { path: { project_id: projectId }, body }, options);
  }

  /**
   * Archives a project in the organization. Archived projects cannot be used or updated.
   * @example
   * const project = await admin.projects.archive('proj_abc'); // project.status === 'archived'
   */
  archive(projectId: string, options?: RequestOptions): APIPromise<T.ArchiveProjectResponse> {
    return this._client._call(ops.archiveProject, { path: { project_id: projectId } }, options);
  }
}
