/** A plan as a person reads a diff: grouped by resource, `+` create, `~` update with old → new, `-` delete. Pure. */
import type { Change, OrgPlan } from './plan.js';

const SIGN = { create: '+', update: '~', delete: '-' } as const;
const TITLE: Record<Change['type'], string> = {
  user: 'Organisation users',
  invite: 'Invites',
  group: 'Groups',
  group_member: 'Group members',
  project: 'Projects',
  project_user: 'Project users',
  project_group: 'Project groups',
  service_account: 'Service accounts',
  rate_limit: 'Rate limits',
  // spend-settings.ts
  data_retention: 'Data retention',
  spend_limit: 'Spend limits',
  spend_alert: 'Spend alerts',
  // permissions.ts
  model_permissions: 'Model permissions',
  hosted_tool_permissions: 'Hosted tools',
  // certificates.ts
  certificate: 'Certificates',
  project_certificate: 'Project certificates',
  // Custom roles and their assignments (src/org/roles.ts).
  role: 'Organisation roles',
  role_assignment: 'Organisation role assignments',
  project_role: 'Project roles',
  project_role_assignment: 'Project role assignments',
};

const show = (v: unknown): string => {
  if (v === null || v === undefined) return '(none)';
  if (Array.isArray(v))
    return v.length
      ? v.map((x) => (typeof x === 'object' && x ? Object.values(x as object).join(':') : String(x))).join(', ')
      : '[]';
  return typeof v === 'string' ? v : JSON.stringify(v);
};

/**
 * The plan as text: a section per resource type, each change on a line, its fields below it; then the notes and
 * a summary line.
 *
 * @example
 * ```ts
 * process.stdout.write(renderPlan(plan));
 * // Projects
 * //   + project "Research"
 * //       name: (none) → Research
 * // …
 * // Plan: 1 to create, 0 to update, 0 to delete, 40 unchanged.
 * ```
 */
export function renderPlan(plan: OrgPlan): string {
  const lines: string[] = [];
  let section = '';
  for (const c of plan.changes) {
    if (TITLE[c.type] !== section) {
      if (section) lines.push('');
      section = TITLE[c.type];
      lines.push(section);
    }
    lines.push(`  ${SIGN[c.action]} ${c.key}${c.meaning ? `  (${c.meaning})` : ''}`);
    if (c.action === 'update' || c.action === 'create')
      for (const [field, { old, new: next }] of Object.entries(c.fields))
        lines.push(
          c.action === 'create' ? `      ${field}: ${show(next)}` : `      ${field}: ${show(old)} → ${show(next)}`,
        );
  }
  if (plan.notes.length) {
    if (lines.length) lines.push('');
    lines.push('Notes');
    for (const n of plan.notes) lines.push(`  ${n}`);
  }
  if (lines.length) lines.push('');
  const s = plan.summary;
  lines.push(
    plan.changes.length === 0
      ? `No changes: the organisation matches the file (${s.unchanged} entries unchanged).`
      : `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged.`,
  );
  if (!plan.prune && plan.changes.length) lines.push('Without --prune, nothing the file leaves out is removed.');
  return `${lines.join('\n')}\n`;
}

/** The plan as JSON for `plan --json`: the summary and changes first, then what apply --plan needs. */
export function planJson(plan: OrgPlan): string {
  return `${JSON.stringify({ summary: plan.summary, changes: plan.changes, notes: plan.notes, version: plan.version, prune: plan.prune, sections: plan.sections, desired: plan.desired }, null, 2)}\n`;
}
