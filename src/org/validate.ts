/**
 * Checks an org file's parsed value against its JSON Schema (generated from openapi.yaml:
 * generated/org-file-schema.gen.ts) and its references against itself. Pure; load.ts adds the line numbers.
 * The schema uses a small subset of JSON Schema (type, const, enum, properties, required,
 * additionalProperties: false, items, maxItems, minLength, maxLength, minimum, maximum, pattern): this walker
 * covers exactly that, so no schema compiler ships at runtime.
 */
import { ORG_FILE_SCHEMA } from '../../generated/org-file-schema.gen.js';
import type { OrgFile } from './model.js';
import { checkSettingsReferences } from './spend-settings.js';
import { checkCertificateReferences } from './certificates.js';
import { checkRoleReferences } from './roles.js';
import { closest } from './suggest.js';

export { closest } from './suggest.js';

export type FieldPath = Array<string | number>;
export interface OrgFileIssue {
  path: FieldPath;
  message: string;
  line?: number;
}

interface Node {
  type?: string | readonly string[];
  const?: unknown;
  enum?: readonly unknown[];
  properties?: Record<string, Node>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: Node;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

/** More problems than this are not worth listing: the file is wrong in one systematic way. */
const MAX_ISSUES = 200;

/**
 * Every way `value` departs from the org file schema. Pure.
 *
 * @example
 * ```ts
 * validateAgainstSchema({ version: 1, projets: [] });
 * // [{ path: ['projets'], message: "unknown field 'projets' (did you mean projects?)" }]
 * ```
 */
export function validateAgainstSchema(value: unknown): OrgFileIssue[] {
  const issues: OrgFileIssue[] = [];
  walk(value, ORG_FILE_SCHEMA, [], issues);
  return issues.slice(0, MAX_ISSUES);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object')
    return Object.getPrototypeOf(v) === Object.prototype ? 'object' : 'a binary or dated value';
  return typeof v;
}

const shown = (v: unknown) =>
  typeof v === 'string' ? `'${v.length > 60 ? v.slice(0, 60) + '…' : v}'` : JSON.stringify(v);

function walk(v: unknown, s: Node, path: FieldPath, issues: OrgFileIssue[]): void {
  if (issues.length >= MAX_ISSUES) return;
  const t = typeOf(v);
  if (s.const !== undefined && v !== s.const)
    return void issues.push({ path, message: `must be ${shown(s.const)}, got ${shown(v)}` });
  if (s.type !== undefined) {
    const allowed = typeof s.type === 'string' ? [s.type] : s.type;
    if (!allowed.includes(t) && !(t === 'integer' && allowed.includes('number')))
      return void issues.push({
        path,
        message: `expected ${allowed.join(' or ')}, got ${t === 'string' ? `string ${shown(v)}` : t}`,
      });
  }
  if (s.enum && !s.enum.includes(v)) {
    const guess =
      typeof v === 'string'
        ? closest(
            v,
            s.enum.filter((e): e is string => typeof e === 'string'),
          )
        : null;
    return void issues.push({
      path,
      message: `must be one of ${s.enum.map(shown).join(', ')}, got ${shown(v)}${guess ? ` (did you mean '${guess}'?)` : ''}`,
    });
  }
  if (typeof v === 'string') {
    if (s.minLength !== undefined && v.length < s.minLength)
      issues.push({
        path,
        message: s.minLength === 1 ? 'must not be empty' : `must be at least ${s.minLength} characters`,
      });
    if (s.maxLength !== undefined && v.length > s.maxLength)
      issues.push({ path, message: `must be at most ${s.maxLength} characters` });
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v))
      issues.push({ path, message: `${shown(v)} is not ${describePattern(s.pattern)}` });
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) issues.push({ path, message: `must be ≥ ${s.minimum}, got ${v}` });
    if (s.maximum !== undefined && v > s.maximum) issues.push({ path, message: `must be ≤ ${s.maximum}, got ${v}` });
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems)
      return void issues.push({ path, message: `more than ${s.maxItems} entries` });
    if (s.items) v.forEach((item, i) => walk(item, s.items!, [...path, i], issues));
  }
  if (t === 'object' && s.properties) {
    const o = v as Record<string, unknown>;
    const known = Object.keys(s.properties);
    for (const k of s.required ?? []) if (!(k in o)) issues.push({ path, message: `missing required field '${k}'` });
    for (const [k, item] of Object.entries(o)) {
      const sub = s.properties[k];
      if (sub) walk(item, sub, [...path, k], issues);
      else if (s.additionalProperties === false) {
        const guess = closest(k, known);
        issues.push({
          path: [...path, k],
          message: `unknown field '${k}'${guess ? ` (did you mean ${guess}?)` : ` (known: ${known.join(', ')})`}`,
        });
      }
    }
  }
}

function describePattern(pattern: string): string {
  if (pattern.includes('@')) return 'an email address';
  if (pattern.startsWith('^proj_')) return 'a project id (proj_…)';
  if (pattern.startsWith('^svc_acct_')) return 'a service account id (svc_acct_…)';
  return `of the form ${pattern}`;
}

/**
 * References inside the file that resolve to nothing in it: a project member, group member or invite naming an
 * email the file's `users` and `invites` do not list (when the file has those sections), a project naming a group
 * the file's `groups` do not list, an invite naming a project the file does not list; and duplicate natural keys.
 * References to sections the file leaves out are checked against the live organisation by planOrg. Pure.
 */
export function checkReferences(file: OrgFile): OrgFileIssue[] {
  const issues: OrgFileIssue[] = [];
  const people =
    file.users || file.invites
      ? new Set([...(file.users ?? []), ...(file.invites ?? [])].map((u) => u.email.toLowerCase()))
      : null;
  const groups = file.groups ? new Set(file.groups.map((g) => g.name)) : null;
  const person = (email: string, path: FieldPath) => {
    if (people && !people.has(email.toLowerCase()))
      issues.push({ path, message: `'${email}' is not in this file's users or invites${suggest(email, people)}` });
  };
  duplicates(file.users ?? [], (u) => u.email.toLowerCase(), ['users'], 'email', issues);
  duplicates(file.invites ?? [], (u) => u.email.toLowerCase(), ['invites'], 'email', issues);
  for (const [i, u] of (file.invites ?? []).entries()) {
    if (file.users?.some((x) => x.email.toLowerCase() === u.email.toLowerCase()))
      issues.push({ path: ['invites', i, 'email'], message: `'${u.email}' is also in users: list a person once` });
    for (const [j, p] of (u.projects ?? []).entries())
      if (file.projects && !file.projects.some((x) => x.name === p.project || x.id === p.project))
        issues.push({
          path: ['invites', i, 'projects', j, 'project'],
          message: `no project '${p.project}' in this file${suggest(p.project, new Set(file.projects.map((x) => x.name)))}`,
        });
  }
  duplicates(file.groups ?? [], (g) => g.name, ['groups'], 'name', issues);
  for (const [i, g] of (file.groups ?? []).entries()) {
    duplicates(g.members ?? [], (m) => m.toLowerCase(), ['groups', i, 'members'], null, issues);
    (g.members ?? []).forEach((m, j) => person(m, ['groups', i, 'members', j]));
  }
  const projectKeys = new Map<string, number>();
  for (const [i, p] of (file.projects ?? []).entries()) {
    const key = p.id ?? p.name;
    if (projectKeys.has(key))
      issues.push({
        path: ['projects', i, 'name'],
        message: `project '${p.name}' is listed twice (entry ${projectKeys.get(key)}); for two projects with one name, give each its id`,
      });
    projectKeys.set(key, i);
    duplicates(p.users ?? [], (u) => u.email.toLowerCase(), ['projects', i, 'users'], 'email', issues);
    (p.users ?? []).forEach((u, j) => person(u.email, ['projects', i, 'users', j, 'email']));
    duplicates(p.groups ?? [], (g) => g.group, ['projects', i, 'groups'], 'group', issues);
    for (const [j, g] of (p.groups ?? []).entries())
      if (groups && !groups.has(g.group))
        issues.push({
          path: ['projects', i, 'groups', j, 'group'],
          message: `no group '${g.group}' in this file's groups${suggest(g.group, groups)}`,
        });
    duplicates(p.service_accounts ?? [], (s) => s.id ?? s.name, ['projects', i, 'service_accounts'], 'name', issues);
    duplicates(p.rate_limits ?? [], (r) => r.model, ['projects', i, 'rate_limits'], 'model', issues);
  }
  issues.push(...checkSettingsReferences(file));
  issues.push(...checkCertificateReferences(file));
  // Custom roles and their assignments (src/org/roles.ts).
  issues.push(...checkRoleReferences(file));
  return issues;
}

function duplicates<T>(
  items: T[],
  key: (t: T) => string,
  path: FieldPath,
  field: string | null,
  issues: OrgFileIssue[],
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k))
      issues.push({
        path: field ? [...path, i, field] : [...path, i],
        message: `'${k}' is listed twice (also entry ${seen.get(k)})`,
      });
    else seen.set(k, i);
  });
}

const suggest = (input: string, candidates: Set<string>) => {
  const guess = closest(input, [...candidates]);
  return guess ? ` (did you mean '${guess}'?)` : '';
};
