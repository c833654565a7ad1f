/**
 * The shapes the settings modules (spend-settings.ts, permissions.ts, certificates.ts) share with plan.ts and
 * validate.ts. plan.ts and validate.ts import those modules, so the modules cannot import plan.ts's Change or
 * validate.ts's issue type back (no import cycle in src/, type imports included): the part they build and read is
 * stated here, and plan.ts's Change and Target have this shape.
 */

/** What apply needs for a spend-settings change (Target.settings). */
export interface SettingsTarget {
  /** The spend limit to send (create or replace), whole. */
  limit?: { threshold_amount: number; currency: 'USD'; interval: 'month' };
  /** The alert to send (create, or replace `alertId`), whole. */
  alert?: {
    threshold_amount: number;
    currency: 'USD';
    interval: 'month';
    notification_channel: { type: 'email'; recipients: string[]; subject_prefix?: string | null };
  };
  alertId?: string;
  /** The organisation's data retention type to set. */
  retention?: string;
}

/** What apply needs for a permissions change (Target.access: `permissions` is a custom role's). */
export interface PermissionsTarget {
  models?: { mode: 'allow_list' | 'deny_list'; model_ids: string[] };
  tools?: Partial<Record<'file_search' | 'web_search' | 'image_generation' | 'mcp' | 'code_interpreter', boolean>>;
}

/** What apply needs for a certificate change (Target.certificate). */
export interface CertificateTarget {
  name: string;
  id?: string;
  pem?: string;
  active?: boolean;
  /** For a delete: the projects (ids) where it is active, deactivated first. */
  activeIn?: string[];
}

/** The part of plan.ts's Target these modules set. */
export interface TargetLike {
  project?: string;
  projectName?: string;
  projectId?: string;
  settings?: SettingsTarget;
  access?: PermissionsTarget;
  certificate?: CertificateTarget;
}

/** A change as plan.ts's Change has it, for one of these modules' types. */
export interface ChangeLike<T extends string = string> {
  action: 'create' | 'update' | 'delete';
  type: T;
  key: string;
  meaning?: string;
  fields: Record<string, { old: unknown; new: unknown }>;
  before: unknown;
  target: TargetLike;
  destructive: boolean;
}

/** planOrg's `add`: a change without its defaults (fields {}, destructive for deletes). */
export type AddChange<T extends string> = (
  c: Omit<ChangeLike<T>, 'fields' | 'destructive'> & { fields?: ChangeLike['fields']; destructive?: boolean },
) => void;

/** What planning a type needs from planOrg (the settings and certificate modules; roles.ts adds its own lookups). */
export interface PlanContext<T extends string> {
  add: AddChange<T>;
  problems: string[];
  notes: string[];
  prune: boolean;
  /** Counts an entry that needs no change. */
  count: () => void;
}

/** validate.ts's OrgFileIssue, without the line (load.ts adds it). */
export interface IssueLike {
  path: Array<string | number>;
  message: string;
}
