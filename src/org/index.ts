/**
 * `openai-admin/org`: an organisation as code. Export the live organisation to an org file (natural keys, no
 * ids, no secrets), plan the changes that make it match a file, apply them safely. The CLI's `export`, `plan`
 * and `apply` are these functions. See docs/org-as-code.md.
 *
 * ```ts
 * import { OpenAIAdmin } from 'openai-admin';
 * import { exportOrg, parseOrgFile, planOrg, readOrg, sectionsOf, applyPlan } from 'openai-admin/org';
 * ```
 *
 * A separate entry point: the core client does not carry it, nor the YAML parser it loads.
 * @module openai-admin/org
 */
export { exportOrg, toOrgFile, stringifyOrgFile, type ExportOrgOptions } from './export.js';
export { readOrg, type ReadOrgOptions } from './read.js';
export { parseOrgFile, OrgFileError, ORG_FILE_LIMIT } from './load.js';
export { validateAgainstSchema, checkReferences, type OrgFileIssue, type FieldPath } from './validate.js';
export {
  planOrg,
  sectionsOf,
  OrgPlanError,
  type OrgPlan,
  type Change,
  type ChangeType,
  type ChangeAction,
  type Target,
  type PlanOptions,
} from './plan.js';
export {
  applyPlan,
  staleEntries,
  savedSubset,
  phaseOf,
  type ApplyOptions,
  type ApplyResult,
  type CreatedKey,
} from './apply.js';
export { renderPlan, planJson } from './render.js';
export { ORG_FILE_SCHEMA } from '../../generated/org-file-schema.gen.js';
export * from './model.js';
// Spend settings, permissions and certificates (their own modules).
export type { SettingsTarget, SettingsChangeType } from './spend-settings.js';
export { HOSTED_TOOLS, type PermissionsTarget, type PermissionsChangeType, type HostedTool } from './permissions.js';
export type { CertificateTarget, CertificateChangeType, OrgFileCertificate } from './certificates.js';
export {
  ROLE_SECTIONS,
  type RoleSection,
  type OrgFileRole,
  type OrgFileRoleAssignment,
  type OrgFileProjectRole,
  type OrgFileProjectRoleAssignment,
  type LiveRoles,
  type LiveRole,
  type LiveAssignment,
} from './roles.js';
