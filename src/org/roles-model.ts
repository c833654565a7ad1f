/**
 * The shapes of the custom-role sections of an org file and of the roles read from the API (src/org/roles.ts has
 * the logic). Types and constants only: model.ts and plan.ts use them without importing the logic.
 */
export interface OrgFileRole {
  name: string;
  permissions: string[];
  description?: string | null;
}
export interface OrgFileRoleAssignment {
  role: string;
  user?: string;
  group?: string;
}
export interface OrgFileProjectRole extends OrgFileRole {
  /** The project's name, or its id when several projects share the name. */
  project: string;
}
export interface OrgFileProjectRoleAssignment extends OrgFileRoleAssignment {
  project: string;
}

/** The sections of an org file this module owns. */
export const ROLE_SECTIONS = ['roles', 'role_assignments', 'project_roles', 'project_role_assignments'] as const;
export type RoleSection = (typeof ROLE_SECTIONS)[number];

/** A role as read from the API (organisation or project). */
export interface LiveRole {
  id: string;
  name: string;
  permissions: string[];
  description: string | null;
  predefined: boolean;
}
export interface LiveAssignment {
  principal: 'user' | 'group';
  principalId: string;
  /** The user's email or the group's name. */
  who: string;
  roleId: string;
  role: string;
}
/** What readRoles read: roles and assignments, organisation wide and per active project. */
export interface LiveRoles {
  org: LiveRole[];
  orgAssignments: LiveAssignment[];
  groups: Array<{ id: string; name: string }>;
  projects: Array<{
    id: string;
    name: string;
    archived: boolean;
    roles: LiveRole[];
    assignments: LiveAssignment[];
    /** The project's members and groups (who can be given its roles). */
    users: Array<{ id: string; email: string }>;
    groupIds: string[];
  }>;
}

export type RoleChangeType = 'role' | 'role_assignment' | 'project_role' | 'project_role_assignment';
export const ROLE_CHANGE_TYPES: readonly RoleChangeType[] = [
  'role',
  'role_assignment',
  'project_role',
  'project_role_assignment',
];

/** A change to a role or an assignment, as roles.ts makes it (a structural subset of plan.ts's Change). */
export interface RoleChangeInput {
  action: 'create' | 'update' | 'delete';
  type: RoleChangeType;
  key: string;
  meaning?: string;
  fields?: Record<string, { old: unknown; new: unknown }>;
  before: unknown;
  target: RoleTarget;
}
/** A change as apply hands it to roles.ts (plan.ts's Change is one). */
export interface RoleChangeLike {
  action: string;
  type: string;
  key: string;
  fields: Record<string, { old: unknown; new: unknown }>;
  target: RoleTarget;
}
/** The Target fields role changes use (plan.ts's Target has them all). */
export interface RoleTarget {
  project?: string;
  projectId?: string;
  email?: string;
  userId?: string;
  group?: string;
  groupId?: string;
  roleName?: string;
  roleId?: string;
  permissions?: string[];
  description?: string | null;
  principal?: 'user' | 'group';
}
