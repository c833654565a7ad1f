/**
 * The domain types under their own names: what the API's objects look like (`Project`, `ProjectUser`,
 * `ServiceAccount`, …). Chosen from the spec's schemas; the per-operation types (`ListProjectsItem`, …) are
 * usually what a signature needs, these are what a program talks about.
 * @module
 */
import type * as T from '../generated/client/types.gen.js';

export type {
  AdminApiKey,
  AuditLog,
  AuditLogActor,
  AuditLogEventType,
  Certificate,
  CostsResult,
  Group,
  GroupUser,
  GroupRoleAssignment,
  Invite,
  OrganizationCertificate,
  OrganizationDataRetention,
  OrganizationSpendAlert,
  Project,
  ProjectApiKey,
  ProjectDataRetention,
  ProjectGroup,
  ProjectHostedToolPermissions,
  ProjectModelPermissions,
  ProjectRateLimit,
  ProjectServiceAccount,
  ProjectServiceAccountApiKey,
  ProjectSpendAlert,
  ProjectUser,
  Role,
  SpendAlertNotificationChannel,
  UsageTimeBucket,
  User,
  UserRoleAssignment,
} from '../generated/client/types.gen.js';

/** A non-human member of a project with its own API keys (the spec calls it `ProjectServiceAccount`). */
export type ServiceAccount = T.ProjectServiceAccount;
